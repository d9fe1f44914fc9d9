-- MFA devices of IAM users. One row per device of any kind; kind-specific columns are
-- nullable and constrained by type so hardware TOTP tokens and FIDO2 security keys (issue 4)
-- extend this table (and add their own, e.g. credentials) instead of replacing it.
CREATE TABLE mfa_devices (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- AWS SerialNumber: the ARN arn:aws:iam::<account>:mfa<path><name> for virtual devices,
    -- the printed serial for hardware tokens.
    serial_number       VARCHAR(1024) NOT NULL UNIQUE,
    account_id          VARCHAR(12)   NOT NULL,
    device_type         VARCHAR(32)   NOT NULL
        CHECK (device_type IN ('VIRTUAL', 'HARDWARE_TOTP', 'SECURITY_KEY')),
    device_name         VARCHAR(226),
    path                VARCHAR(512)  NOT NULL DEFAULT '/',
    -- TOTP seed, AES-256-GCM: ciphertext with tag, 96-bit nonce, key id in the key ring.
    -- The serial number is the additional authenticated data.
    seed_ciphertext     BYTEA,
    seed_nonce          BYTEA,
    seed_key_id         VARCHAR(64),
    totp_algorithm      VARCHAR(16) CHECK (totp_algorithm IN ('SHA1', 'SHA256', 'SHA512')),
    totp_digits         SMALLINT    CHECK (totp_digits IN (6, 8)),
    totp_period_seconds SMALLINT    CHECK (totp_period_seconds IN (30, 60)),
    -- The IAM user the device is assigned to (identity-service owns users); NULL = unassigned.
    user_name           VARCHAR(64),
    enable_date         TIMESTAMPTZ,
    -- Device clock offset in steps, learnt at enablement (RFC 6238 section 6).
    drift_steps         INTEGER     NOT NULL DEFAULT 0,
    -- The last accepted TOTP step: a code is accepted only for a later step (replay defence).
    last_used_step      BIGINT,
    -- Consecutive failed verifications; reset on success. Lockout/back-off builds on these.
    failed_attempts     INTEGER     NOT NULL DEFAULT 0,
    last_failed_at      TIMESTAMPTZ,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT mfa_devices_virtual_has_name CHECK (device_type <> 'VIRTUAL' OR device_name IS NOT NULL),
    CONSTRAINT mfa_devices_totp_has_seed CHECK (
        device_type = 'SECURITY_KEY'
        OR (seed_ciphertext IS NOT NULL AND seed_nonce IS NOT NULL AND seed_key_id IS NOT NULL
            AND totp_algorithm IS NOT NULL AND totp_digits IS NOT NULL AND totp_period_seconds IS NOT NULL)),
    CONSTRAINT mfa_devices_assignment CHECK ((user_name IS NULL) = (enable_date IS NULL))
);

-- AWS: device names are unique in an account regardless of case (and of path).
CREATE UNIQUE INDEX mfa_devices_account_name_key ON mfa_devices (account_id, lower(device_name))
    WHERE device_name IS NOT NULL;
-- Devices of a user: listing, the 8-per-user limit, sign-in.
CREATE INDEX mfa_devices_account_user_idx ON mfa_devices (account_id, lower(user_name))
    WHERE user_name IS NOT NULL;

CREATE TABLE mfa_device_tags (
    device_id BIGINT       NOT NULL REFERENCES mfa_devices (id) ON DELETE CASCADE,
    tag_key   VARCHAR(128) NOT NULL,
    tag_value VARCHAR(256) NOT NULL,
    PRIMARY KEY (device_id, tag_key)
);
