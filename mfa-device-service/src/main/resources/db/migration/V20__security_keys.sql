-- FIDO2 security keys. Each key is a row of mfa_devices (device_type 'SECURITY_KEY', no seed)
-- plus its WebAuthn credential here, so listing and the 8-devices-per-user limit see it, and
-- deleting the device row removes the credential.
CREATE TABLE security_key_credentials (
    device_id            BIGINT      PRIMARY KEY REFERENCES mfa_devices (id) ON DELETE CASCADE,
    account_id           VARCHAR(12) NOT NULL,
    -- WebAuthn credential id (the authenticator's key handle), at most 1023 bytes (WebAuthn L3 7.1 step 14).
    credential_id        BYTEA       NOT NULL CHECK (octet_length(credential_id) BETWEEN 1 AND 1023),
    -- The credential public key as a COSE_Key (RFC 9052), CBOR encoded.
    public_key_cose      BYTEA       NOT NULL,
    -- The WebAuthn user handle the credential was created for (random, not personal data).
    user_handle          BYTEA       NOT NULL,
    -- The authenticator model (all zeros for U2F keys and for `none` attestation that hides it).
    aaguid               UUID        NOT NULL,
    -- The last signature counter reported; 0 for keys that do not count.
    sign_count           BIGINT      NOT NULL DEFAULT 0 CHECK (sign_count BETWEEN 0 AND 4294967295),
    -- Transports from the browser (`usb`, `nfc`, `ble`, `internal`, `hybrid`), comma separated.
    transports           VARCHAR(128) NOT NULL DEFAULT '',
    -- Authenticator data flags BE (backup eligible, fixed at creation), BS (backed up now) and
    -- UV at registration (WebAuthn L3 6.1, "uvInitialized" of the credential record).
    backup_eligible      BOOLEAN     NOT NULL,
    backup_state         BOOLEAN     NOT NULL,
    uv_initialized       BOOLEAN     NOT NULL,
    -- The attestation statement format verified at registration (`none`, `packed`, `fido-u2f`, ...).
    attestation_format   VARCHAR(32) NOT NULL,
    -- The attestation object as received (CBOR), kept for later audit of the attestation.
    attestation_object   BYTEA       NOT NULL,
    -- Set when an assertion's counter did not increase (WebAuthn L3 7.2 step 22): the key may
    -- have been cloned and is refused until an admin removes it and the user registers it again.
    possibly_cloned_at   TIMESTAMPTZ,
    last_used_at         TIMESTAMPTZ,
    created_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- A credential id identifies one key in the account (WebAuthn L3 7.1 step 25: refuse a
-- credential id that is already registered).
CREATE UNIQUE INDEX security_key_credentials_account_credential_key
    ON security_key_credentials (account_id, credential_id);

-- Pending WebAuthn ceremonies. A challenge is consumed by deleting its row, so it is used at
-- most once even when two requests race; expired rows are refused and purged.
CREATE TABLE security_key_challenges (
    challenge_id         VARCHAR(64)  PRIMARY KEY,
    ceremony             VARCHAR(16)  NOT NULL CHECK (ceremony IN ('REGISTRATION', 'AUTHENTICATION')),
    account_id           VARCHAR(12)  NOT NULL,
    user_name            VARCHAR(64)  NOT NULL,
    -- The random challenge (at least 16 bytes, WebAuthn L3 13.4.3) the client data must echo.
    challenge            BYTEA        NOT NULL CHECK (octet_length(challenge) >= 16),
    -- Registration only: the new device's name, the user handle, the attestation asked for.
    device_name          VARCHAR(64),
    user_handle          BYTEA,
    attestation          VARCHAR(16),
    -- The user-verification requirement the options carried.
    user_verification    VARCHAR(16)  NOT NULL,
    expires_at           TIMESTAMPTZ  NOT NULL,
    created_at           TIMESTAMPTZ  NOT NULL DEFAULT now(),
    CONSTRAINT security_key_challenges_registration CHECK (
        ceremony <> 'REGISTRATION'
        OR (device_name IS NOT NULL AND user_handle IS NOT NULL AND attestation IS NOT NULL))
);

CREATE INDEX security_key_challenges_expiry_idx ON security_key_challenges (expires_at);
