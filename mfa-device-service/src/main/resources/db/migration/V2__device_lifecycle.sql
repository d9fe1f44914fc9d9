-- Issue 4: lockout, per-user failure counting, audit trail, seed rotation.

-- Set when the device reached the consecutive-failure limit; cleared only by UnlockMFADevice.
ALTER TABLE mfa_devices ADD COLUMN locked_at TIMESTAMPTZ;
-- Seed rotation finds the seeds not yet under the active key id.
CREATE INDEX mfa_devices_seed_key_idx ON mfa_devices (seed_key_id) WHERE seed_key_id IS NOT NULL;
-- ListVirtualMFADevices pages by serial number within an account.
CREATE INDEX mfa_devices_account_serial_idx ON mfa_devices (account_id, serial_number);

-- Consecutive failed codes of a user over all its devices (exponential back-off across
-- devices). user_key is the lower-cased user name ('$root' for the root user).
CREATE TABLE mfa_user_failures (
    account_id      VARCHAR(12) NOT NULL,
    user_key        VARCHAR(64) NOT NULL,
    failed_attempts INTEGER     NOT NULL DEFAULT 0,
    last_failed_at  TIMESTAMPTZ,
    PRIMARY KEY (account_id, user_key)
);

-- The audit trail of device events: who, when, from where, which device, outcome. Never a
-- seed or a code.
CREATE TABLE mfa_device_events (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_time     TIMESTAMPTZ   NOT NULL,
    account_id     VARCHAR(12),
    event_name     VARCHAR(64)   NOT NULL,
    principal_arn  VARCHAR(2048) NOT NULL,
    source_address VARCHAR(256),
    serial_number  VARCHAR(1024),
    user_name      VARCHAR(64),
    outcome        VARCHAR(64)   NOT NULL
);
CREATE INDEX mfa_device_events_account_idx ON mfa_device_events (account_id, id DESC);
