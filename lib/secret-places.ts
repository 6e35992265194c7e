import type { SecretPlace } from "./crypto";

/**
 * Every column that holds a secret, by its SQL names: a stored value is bound to its table,
 * column and row, so the place is a required argument of encryption and decryption. These
 * names are part of the ciphertexts; renaming one means re-encrypting every value stored there.
 */
export const secretPlace = {
  clientSecret: (clientId: number): SecretPlace => ({ table: "zoho_clients", column: "secret_enc", rowId: clientId }),
  accessToken: (connectionId: number): SecretPlace => ({ table: "connections", column: "access_token_enc", rowId: connectionId }),
  refreshToken: (connectionId: number): SecretPlace => ({ table: "connections", column: "refresh_token_enc", rowId: connectionId }),
  /** Alert destination URLs: a Slack incoming-webhook URL is itself a credential. */
  alertUrl: (destinationId: number): SecretPlace => ({ table: "alert_destinations", column: "url_enc", rowId: destinationId }),
  alertSecret: (destinationId: number): SecretPlace => ({ table: "alert_destinations", column: "secret_enc", rowId: destinationId }),
  alertPreviousSecret: (destinationId: number): SecretPlace => ({ table: "alert_destinations", column: "previous_secret_enc", rowId: destinationId }),
} as const;
