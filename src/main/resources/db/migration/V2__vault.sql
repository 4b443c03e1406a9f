-- The tenant's secrets vault, identity public keys (issue 3). Format: docs/vault.md.
-- Names, versions and times are readable on purpose (lists work without unlocking);
-- values and private keys are only ever stored as AES-256-GCM ciphertext.

-- One row: the key hierarchy. The data key is wrapped by a key derived from the
-- master password (Argon2id, RFC 9106, or scrypt, RFC 7914) with the parameters stored here.
CREATE TABLE vault_header (
    id             INTEGER PRIMARY KEY CHECK (id = 1),
    format_version INTEGER NOT NULL,
    tenant         TEXT    NOT NULL,
    kdf            TEXT    NOT NULL,          -- 'argon2id' | 'scrypt'
    kdf_params     TEXT    NOT NULL,          -- PHC-style: 'm=65536,t=3,p=4' | 'ln=17,r=8,p=1'
    salt           BLOB    NOT NULL,          -- 16 random bytes
    wrap_nonce     BLOB    NOT NULL,          -- 12 bytes, AES-256-GCM nonce of wrapped_key
    wrapped_key    BLOB    NOT NULL,          -- data key (32 bytes) sealed with the KEK, 48 bytes
    key_check      BLOB    NOT NULL,          -- HMAC-SHA256 tells a wrong password from a tampered wrap
    digest         BLOB    NOT NULL,          -- SHA-256 of all other columns: detects a corrupt header
    created        INTEGER NOT NULL,          -- UTC ms
    updated        INTEGER NOT NULL           -- UTC ms
);

-- Secret values and the identity private keys. AAD binds tenant, name and version.
CREATE TABLE vault_entry (
    name       TEXT    PRIMARY KEY,
    version    INTEGER NOT NULL CHECK (version >= 1),
    nonce      BLOB    NOT NULL,              -- 12 random bytes, fresh for every write
    ciphertext BLOB    NOT NULL,              -- AES-256-GCM ciphertext followed by its 16-byte tag
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL
);

-- Public halves of the tenant identity; readable without the password.
CREATE TABLE vault_public_key (
    purpose    TEXT    PRIMARY KEY,           -- 'signing' | 'agreement'
    algorithm  TEXT    NOT NULL,              -- 'Ed25519' (RFC 8032) | 'X25519' (RFC 7748)
    public_key BLOB    NOT NULL,              -- 32 raw bytes
    created    INTEGER NOT NULL
);
