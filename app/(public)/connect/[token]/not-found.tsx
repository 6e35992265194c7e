import { LinkEnded } from "@/components/connect-links/link-ended";

// A token no link has: the same plain page as an ended link, without a console link to go back to.
export default function UnknownLink() {
  return <LinkEnded status="unknown" requestedBy={null} />;
}
