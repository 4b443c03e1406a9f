package dev.airlock.cli;

import dev.airlock.audit.AuditEvent;
import dev.airlock.audit.AuditLog;
import dev.airlock.audit.AuditLogs;
import dev.airlock.audit.AuditOptions;
import dev.airlock.audit.AuditSettings;
import dev.airlock.audit.CheckpointSigner;
import dev.airlock.audit.CheckpointVerifier;
import dev.airlock.gate.Gate;
import dev.airlock.gate.GateSettings;
import dev.airlock.policy.CommandAnalyzer;
import dev.airlock.policy.PathContext;
import dev.airlock.policy.PolicyConfig;
import dev.airlock.policy.PolicyEngine;
import dev.airlock.redact.KnownSecrets;
import dev.airlock.sandbox.Sandbox;
import dev.airlock.sandbox.SandboxProbe;
import dev.airlock.redact.RedactionConfig;
import dev.airlock.redact.Redactor;
import dev.airlock.vault.Identity;
import dev.airlock.vault.SecretAccess;
import dev.airlock.vault.SecretBytes;
import dev.airlock.vault.PasswordPrompt;
import dev.airlock.vault.PasswordSource;
import dev.airlock.vault.PublicIdentity;
import dev.airlock.vault.UnlockedVault;
import dev.airlock.vault.Vault;
import dev.airlock.vault.VaultSettings;
import dev.airlock.home.AirlockHome;
import dev.airlock.home.Config;
import dev.airlock.home.Logging;
import dev.airlock.home.LoggingSettings;
import dev.airlock.home.TextFilter;
import dev.airlock.store.TenantDb;
import dev.airlock.store.TenantName;
import dev.airlock.store.Tenants;
import java.io.IOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What one command works with, opened lazily and closed once: the home, the user config, the
 * tenant's database and its audit log. Commands ask for what they need; nothing is opened that a
 * command does not use, so read-only commands never create files.
 */
final class Session implements AutoCloseable {
    static Config.Schema schema() {
        return Config.Schema.create()
                .section("audit", AuditSettings.class)
                .section("logging", LoggingSettings.class)
                .section("vault", VaultSettings.class)
                .section("security", dev.airlock.vault.SecuritySettings.class)
                .section("redaction", RedactionConfig.class)
                .section("policy", PolicyConfig.class)
                .section("sandbox", GateSettings.class)
                .section("models", dev.airlock.llm.ModelSettings.class)
                .section("agents", dev.airlock.agent.AgentSettings.class);
    }

    private final RootCommand root;
    private @Nullable AirlockHome home;
    private @Nullable Config config;
    private boolean logging;
    private final Map<TenantName, TenantDb> dbs = new HashMap<>();
    private final Map<TenantName, AuditLog> logs = new HashMap<>();
    private final Map<TenantName, TenantSigner> signers = new HashMap<>();
    private final Map<TenantName, UnlockedVault> unlocked = new HashMap<>();
    private PasswordPrompt prompt = PasswordPrompt.console();
    private @Nullable CommandAnalyzer analyzer;
    private @Nullable PolicyEngine engine;
    private final KnownSecrets known = KnownSecrets.create();
    private volatile @Nullable Redactor redactor;
    /**
     * Everything Airlock shows or stores passes here: log lines, audit details, error messages,
     * exports. Until the config is loaded only the vault's known secrets could be matched, and there
     * are none yet, so the built-in detectors are used with default settings.
     */
    private final TextFilter filter = text -> {
        try {
            return redactor().redact(text);
        } catch (RuntimeException e) {
            return "[withheld: redaction failed]";
        }
    };
    private Clock clock = Clock.systemUTC();

    Session(RootCommand root) {
        this.root = root;
    }

    Map<String, String> env() {
        return root.cli.env;
    }

    Clock clock() {
        return clock;
    }

    /** The home location (not necessarily initialised). */
    AirlockHome home() {
        if (home == null) {
            home = AirlockHome.locate(root.homeOption(), env());
        }
        return home;
    }

    /** The initialised home, with logging started; a usage error naming 'airlock init' otherwise. */
    AirlockHome initializedHome() {
        AirlockHome h = home().requireInitialized();
        startLogging(h);
        return h;
    }

    void startLogging(AirlockHome h) {
        if (!logging) {
            Logging.setFilter(filter);
            Logging.toHome(h, config().section("logging", LoggingSettings.class).level());
            logging = true;
        }
    }

    Config config() {
        if (config == null) {
            config = Config.load(Config.userConfigPath(env()), schema());
            redactor = Redactor.create(config.section("redaction", RedactionConfig.class), known);
        }
        return config;
    }

    /** The redactor of this session, with the vault's unlocked values as known secrets. */
    Redactor redactor() {
        Redactor r = redactor;
        if (r == null) {
            synchronized (this) {
                r = redactor;
                if (r == null) {
                    r = Redactor.create(RedactionConfig.defaults(), known);
                    redactor = r;
                }
            }
        }
        return r;
    }

    TextFilter filter() {
        return filter;
    }

    TenantName tenantName() {
        return TenantName.of(root.tenant);
    }

    Tenants tenants() {
        return Tenants.of(initializedHome());
    }

    /** The selected tenant's database. */
    TenantDb db() {
        return db(tenantName());
    }

    TenantDb db(TenantName name) {
        TenantDb db = dbs.get(name);
        if (db == null) {
            db = tenants().open(name);
            dbs.put(name, db);
        }
        return db;
    }

    /** The selected tenant's audit log writer. */
    AuditLog audit() {
        return audit(tenantName());
    }

    AuditLog audit(TenantName name) {
        AuditLog log = logs.get(name);
        if (log == null) {
            log = openLog(name);
            recordConfigChange(name, log);
        }
        return log;
    }

    private AuditLog openLog(TenantName name) {
        AuditLog log = AuditLogs.open(db(name), tenants().checkpointFile(name), AuditOptions.builder()
                .settings(config().section("audit", AuditSettings.class))
                .clock(clock)
                .detailsFilter(filter)
                .signer(signer(name))
                .build());
        logs.put(name, log);
        return log;
    }

    private TenantSigner signer(TenantName name) {
        // Bound to the database now: the signer is asked on the audit writer's thread.
        TenantDb db = db(name);
        return signers.computeIfAbsent(name, n -> new TenantSigner(() -> vault(n, db).isInitialized()));
    }

    /**
     * Signs this process's checkpoints once the tenant's vault is unlocked here. Until then a tenant
     * with an identity gets no checkpoint from this process (see {@link CheckpointSigner}).
     */
    static final class TenantSigner implements CheckpointSigner {
        private final java.util.function.BooleanSupplier hasIdentity;
        private volatile @Nullable Boolean required;
        private volatile @Nullable Identity identity;

        TenantSigner(java.util.function.BooleanSupplier hasIdentity) {
            this.hasIdentity = hasIdentity;
        }

        void use(Identity id) {
            identity = id;
            required = true;
        }

        @Override
        public boolean required() {
            Boolean r = required;
            if (r == null) {
                r = hasIdentity.getAsBoolean();
                required = r;
            }
            return r;
        }

        @Override
        public Optional<String> keyId() {
            Identity id = identity;
            return id == null ? Optional.empty() : Optional.of(id.publicIdentity().signingFingerprint());
        }

        @Override
        public byte[] sign(byte[] message) {
            Identity id = identity;
            if (id == null) {
                throw new IllegalStateException("the vault is locked");
            }
            return id.sign(message);
        }
    }

    /** Checks checkpoint signatures with the tenant's public key, if the tenant has an identity. */
    Optional<CheckpointVerifier> checkpointVerifier(TenantName name) {
        if (!hasIdentity(name)) {
            return Optional.empty();
        }
        PublicIdentity pub = vault(name).publicIdentity();
        byte[] key = pub.signingKey();
        String keyId = pub.signingFingerprint();
        return Optional.of(new CheckpointVerifier() {
            @Override
            public String keyId() {
                return keyId;
            }

            @Override
            public boolean verify(byte[] message, byte[] signature) {
                return Identity.verify(key, message, signature);
            }
        });
    }

    /**
     * The tenant's audit log, opened on its first append: components that only sometimes record
     * (the vault when it merely lists, the gate when it merely checks) then never write to the tenant.
     */
    AuditLog lazyAudit(TenantName name) {
        return new AuditLog() {
            @Override
            public dev.airlock.audit.AuditRecord append(AuditEvent event) {
                return audit(name).append(event);
            }

            @Override
            public <T> T appendWith(AuditEvent event, StateChange<T> change) {
                return audit(name).appendWith(event, change);
            }

            @Override
            public void close() {
                // the session closes the real log
            }
        };
    }

    /** The tenant's vault, locked (metadata only). */
    Vault vault(TenantName name) {
        return vault(name, db(name));
    }

    private Vault vault(TenantName name, TenantDb db) {
        return Vault.builder().tenant(name.value()).jdbi(db.jdbi()).audit(lazyAudit(name)).clock(clock).build();
    }

    /** Whether the tenant has a vault, and with it the identity that signs its checkpoints. */
    boolean hasIdentity(TenantName name) {
        return vault(name).isInitialized();
    }

    /**
     * The tenant's vault, unlocked once per process: from the OS keychain if the tenant enabled it
     * and it answers, else with the password from the configured source.
     */
    UnlockedVault unlock(TenantName name) {
        return unlock(name, prompt);
    }

    private UnlockedVault unlock(TenantName name, PasswordPrompt passwordPrompt) {
        UnlockedVault u = unlocked.get(name);
        if (u == null) {
            Vault v = vault(name);
            u = v.unlockFromKeychain(keychain()).orElseGet(() -> v.unlock(PasswordSource.read(env(), passwordPrompt)));
            useUnlocked(name, u);
        }
        return u;
    }

    private dev.airlock.vault.@Nullable Keychain keychain;

    /** The OS keychain for this home; off with {@code vault.keychain: false} or {@code AIRLOCK_NO_KEYCHAIN}. */
    dev.airlock.vault.Keychain keychain() {
        if (keychain == null) {
            keychain = config().section("vault", VaultSettings.class).keychain()
                    ? dev.airlock.vault.Keychain.detect(env(), home().root().toAbsolutePath().normalize().toString())
                    : dev.airlock.vault.Keychain.off("turned off by vault.keychain: false in " + config().file()
                            .map(Object::toString).orElse("the config") + "; remove that setting to use the keychain");
        }
        return keychain;
    }

    /**
     * How the tenant's content is kept at rest ({@code security.encryption}); the caller closes it.
     * On (the default): the field key from the variable named by {@code key_env} if it is set, else
     * from the vault (keychain or password). Off: the marked-plaintext cipher. A change of mode is
     * recorded once in the tenant's audit log ({@code security.encryption}).
     *
     * @throws dev.airlock.home.AirlockException exit 7 if encryption is on and neither key source is
     *     available; nothing is written then
     */
    dev.airlock.vault.ContentCipher contentCipher(TenantName name) {
        dev.airlock.vault.SecuritySettings.Encryption enc = config().section("security",
                dev.airlock.vault.SecuritySettings.class).encryption();
        String keyEnv = enc.keyEnv();
        boolean fromEnv = enc.enabled() && env().get(keyEnv) != null && !env().get(keyEnv).isBlank();
        dev.airlock.vault.ContentCipher cipher;
        if (!enc.enabled()) {
            cipher = dev.airlock.vault.ContentCipher.plaintext();
        } else if (fromEnv) {
            cipher = dev.airlock.vault.ContentCipher.encrypted(dev.airlock.vault.FieldCipher.fromEnvironment(env(), keyEnv));
        } else {
            PasswordPrompt orNoKey = text -> {
                try {
                    return prompt.readPassword(text);
                } catch (dev.airlock.vault.VaultException e) {
                    throw new dev.airlock.home.AirlockException(dev.airlock.home.ExitCode.AUTH, "encryption at rest is on for "
                            + "tenant '" + name + "' and no key is available: set " + keyEnv + " to the base64 field key, or "
                            + "give the vault password (" + PasswordSource.FILE_ENV + ", " + PasswordSource.COMMAND_ENV
                            + ", " + PasswordSource.PASSWORD_ENV + " or a terminal). Nothing was written");
                }
            };
            cipher = dev.airlock.vault.ContentCipher.encrypted(unlock(name, orNoKey).fieldCipher());
        }
        String mode = enc.enabled() ? "on" : "off";
        try {
            if (!db(name).meta("content_encryption").orElse("on").equals(mode)) {
                audit(name).appendWith(AuditEvent.builder("security.encryption").target("tenant:" + name)
                        .detail("enabled", enc.enabled())
                        .detail("key_source", !enc.enabled() ? "none: content is stored as plaintext"
                                : fromEnv ? keyEnv : "vault").build(),
                        h -> h.execute("INSERT INTO meta(key, value) VALUES ('content_encryption', ?)"
                                + " ON CONFLICT(key) DO UPDATE SET value = excluded.value", mode));
            }
        } catch (RuntimeException e) {
            cipher.close();
            throw e;
        }
        return cipher;
    }

    private void useUnlocked(TenantName name, UnlockedVault u) {
        unlocked.put(name, u);
        signer(name).use(u.identity());
        // Every value this process learns from the vault is scrubbed exactly from then on (the
        // listener is first given the values already known).
        u.addUnlockedValueListener(this::learn);
    }

    private void learn(SecretBytes value) {
        byte[] b = value.toByteArray(SecretAccess.INSECURE_ACCESS);
        try {
            known.add(b);
        } finally {
            java.util.Arrays.fill(b, (byte) 0);
            value.destroy();
        }
    }

    PasswordPrompt prompt() {
        return prompt;
    }

    /**
     * Creates a tenant: folder, database, empty checkpoint file, and its first audit row. Used by
     * init, tenant create and the demo.
     */
    void createTenant(TenantName name) {
        // Refusals come before the password prompt, and the password before anything is created.
        if (tenants().exists(name)) {
            throw dev.airlock.home.AirlockException.usage("tenant '" + name + "' already exists");
        }
        char[] password = newVaultPassword();
        createTenant(name, password);
    }

    /** A new vault password from the configured source (or asked twice); the caller hands it on. */
    char[] newVaultPassword() {
        return PasswordSource.readNew(env(), prompt);
    }

    void createTenant(TenantName name, char[] password) {
        Tenants t = tenants();
        TenantDb db = t.create(name);
        dbs.put(name, db);
        try {
            try {
                AuditLogs.createCheckpointFile(t.checkpointFile(name));
            } catch (IOException e) {
                throw AirlockHome.unwritable(t.checkpointFile(name), e);
            }
            // The tenant's first row records its creation; the config it was created under comes next.
            AuditLog log = openLog(name);
            log.append(AuditEvent.builder("tenant.create").target("tenant:" + name)
                    .detail("log_id", db.meta("log_id").orElse("")).build());
            recordConfigChange(name, log);
            createVault(name, password);
            log.checkpoint(); // the tenant's first checkpoint, signed: a fresh tenant always has one
        } catch (RuntimeException e) {
            // A tenant without its creation row or its vault would be half made: remove it whole.
            try {
                release(name);
            } catch (RuntimeException ignored) {
                // the original failure is what the user needs to see
            }
            try {
                t.purge(t.detach(name));
            } catch (RuntimeException ignored) {
                // left in place; 'tenant create' will refuse the folder and say so
            }
            throw e;
        }
    }

    /**
     * Creates the tenant's vault and identity (Ed25519 signing, X25519 agreement); the closing
     * checkpoint of this command is the first one signed. Clears {@code password}.
     */
    void createVault(TenantName name, char[] password) {
        useUnlocked(name, vault(name).initialize(password, config().section("vault", VaultSettings.class).params()));
    }

    /**
     * Notices that the user config changed since this tenant last saw it and records that, with the
     * old and new file hashes, in the same transaction as remembering the new hash.
     */
    private void recordConfigChange(TenantName name, AuditLog log) {
        Config c = config();
        String now = c.sha256().orElse("none");
        Optional<String> seen = db(name).meta("config_sha256");
        if (seen.isPresent() ? seen.get().equals(now) : now.equals("none")) {
            return; // unchanged, or no config file ever seen: nothing to record
        }
        log.appendWith(AuditEvent.builder("config.change").target("config:" + c.file().map(Object::toString)
                        .orElse(Config.userConfigPath(env()).toString()))
                        .detail("previous_sha256", seen.orElse("none")).detail("sha256", now).build(),
                h -> h.execute("INSERT INTO meta(key, value) VALUES ('config_sha256', ?)"
                        + " ON CONFLICT(key) DO UPDATE SET value = excluded.value", now));
    }

    /** The policy engine with the shipped defaults and the user's {@code policy:} rules. */
    PolicyEngine policy() {
        if (engine == null) {
            analyzer = CommandAnalyzer.create();
            engine = PolicyEngine.create(config().section("policy", PolicyConfig.class), analyzer);
        }
        return engine;
    }

    /** The current folder as the workspace, judged against the user's home and the Airlock home. */
    PathContext workspaceContext() {
        return workspaceContext(null);
    }

    /** {@code workspace} (default: the current folder) as the workspace of a command. */
    PathContext workspaceContext(java.nio.file.@Nullable Path workspace) {
        java.nio.file.Path ws;
        if (workspace == null) {
            ws = java.nio.file.Path.of("").toAbsolutePath().normalize();
        } else {
            try {
                ws = workspace.toRealPath();
            } catch (IOException e) {
                throw dev.airlock.home.AirlockException.usage("--workspace " + workspace
                        + " does not exist. Create it or pick an existing folder.");
            }
            if (!java.nio.file.Files.isDirectory(ws)) {
                throw dev.airlock.home.AirlockException.usage("--workspace " + workspace + " is not a folder. Pick a folder.");
            }
        }
        if (ws.getParent() == null) {
            throw dev.airlock.home.AirlockException.usage("the file system root cannot be a workspace; cd into a project folder"
                    + " or pass --workspace DIR");
        }
        return PathContext.create(ws, AirlockHome.userHome(env()), home().root());
    }

    /** The gate for the selected tenant: policy, approval, sandbox, redaction, audit. */
    Gate gate(dev.airlock.gate.Approver approver) {
        return gate(approver, java.util.List.of());
    }

    /** The gate, with an agent's own rate limits added to the configured ones. */
    Gate gate(dev.airlock.gate.Approver approver, java.util.List<GateSettings.RateLimitSetting> extraLimits) {
        GateSettings configured = config().section("sandbox", GateSettings.class);
        java.util.List<GateSettings.RateLimitSetting> limits = new java.util.ArrayList<>(configured.rateLimits());
        limits.addAll(extraLimits);
        GateSettings settings = new GateSettings(configured.enabled(), configured.timeLimitSeconds(), configured.outputLimitBytes(), limits);
        Sandbox sandbox = null;
        String state;
        if (!settings.enabled()) {
            state = "off (sandbox.enabled: false in the config)";
        } else {
            SandboxProbe.Report probe = SandboxProbe.probe(env().getOrDefault("PATH", ""));
            if (probe.works()) {
                sandbox = Sandbox.bubblewrap();
                state = "bubblewrap";
            } else {
                state = "unavailable (" + probe.reason() + ")";
            }
        }
        Gate.Builder builder = Gate.builder();
        dev.airlock.policy.RateLimiter limiter = settings.rateLimiter(clock);
        if (limiter != null) {
            builder.rateLimiter(limiter);
        }
        return builder
                .engine(policy())
                .sandbox(sandbox, state)
                .audit(lazyAudit(tenantName()))
                .approver(approver)
                .redactor(redactor())
                .settings(settings)
                .parentEnvironment(env())
                .hidden(hiddenPaths())
                .build();
    }

    /** What no command may see: the Airlock home and the usual credential stores. */
    java.util.List<java.nio.file.Path> hiddenPaths() {
        java.nio.file.Path userHome = AirlockHome.userHome(env());
        java.util.List<java.nio.file.Path> paths = new java.util.ArrayList<>();
        paths.add(home().root());
        paths.add(Config.userConfigPath(env()).getParent());
        // Credential stores, token files, shell and client histories (commands typed with a password in
        // them) and browser profiles (session cookies): nothing a build or test needs.
        for (String p : new String[] {".ssh", ".aws", ".gnupg", ".docker", ".kube", ".config/gcloud", ".azure",
            ".netrc", ".pgpass", ".git-credentials", ".config/gh", ".npmrc", ".pypirc", ".password-store",
            ".config/hub", ".cargo/credentials", ".cargo/credentials.toml", ".gem/credentials",
            ".m2/settings-security.xml", ".terraform.d/credentials.tfrc.json", ".vault-token", ".s3cfg", ".boto",
            ".config/rclone", ".oci", ".config/doctl", ".config/op", ".kaggle", ".huggingface",
            ".cache/huggingface/token", ".local/share/keyrings", ".bash_history", ".zsh_history",
            ".local/share/fish/fish_history", ".python_history", ".psql_history", ".mysql_history",
            ".sqlite_history", ".node_repl_history", ".lesshst", ".viminfo", ".mozilla", ".thunderbird",
            ".config/google-chrome", ".config/chromium", ".config/BraveSoftware", ".config/Code/User/globalStorage"}) {
            paths.add(userHome.resolve(p));
        }
        return paths.stream().filter(java.nio.file.Files::exists).map(java.nio.file.Path::toAbsolutePath).distinct().toList();
    }

    /** Removes anything the redaction engine recognises from text shown to the user. */
    String scrub(String text) {
        return filter.apply(text);
    }

    // ---- agents and chat sessions (issue #6) ----

    /** The agents of the user config, narrowed by the workspace's {@code .airlock/agents}. */
    dev.airlock.agent.AgentCatalog agents(PathContext workspace) {
        return dev.airlock.agent.AgentCatalog.load(config().section("agents", dev.airlock.agent.AgentSettings.class),
                config().file().orElse(Config.userConfigPath(env())).toString(), workspace.workspaceRoots().get(0));
    }

    /**
     * The selected tenant's chat sessions. The content cipher is resolved (key from the environment
     * or the unlocked vault, see {@link #contentCipher}) only when content is first read or written:
     * listing and deleting sessions unlock nothing.
     */
    dev.airlock.agent.SessionStore sessions() {
        TenantName t = tenantName();
        return new dev.airlock.agent.SessionStore(db().jdbi(), () -> {
            dev.airlock.vault.ContentCipher c = contentCipher(t);
            opened.add(c);
            return c;
        }, lazyAudit(t), clock);
    }

    private final java.util.List<dev.airlock.vault.ContentCipher> opened = new java.util.ArrayList<>();

    /**
     * The model providers of the user config, their HTTP through {@code egress}. API keys named
     * {@code secret:NAME} are read from the tenant's vault (unlocked on first need); {@code env:NAME}
     * from this process's environment.
     */
    dev.airlock.llm.Providers providers(dev.airlock.gate.EgressGate egress) {
        TenantName t = tenantName();
        dev.airlock.vault.SecretResolver resolver = dev.airlock.vault.SecretResolver.create(() -> unlock(t));
        return dev.airlock.llm.Providers.create(config().section("models", dev.airlock.llm.ModelSettings.class),
                dev.airlock.llm.KeySource.of(resolver::resolve, env()), egress, policy().egress());
    }

    /** Closes audit logs first (their final checkpoints need the databases and the keys). */
    @Override
    public void close() {
        RuntimeException first = null;
        for (AuditLog log : logs.values()) {
            try {
                log.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        logs.clear();
        opened.forEach(dev.airlock.vault.ContentCipher::close);
        opened.clear();
        unlocked.values().forEach(UnlockedVault::close);
        unlocked.clear();
        known.clear();
        if (analyzer != null) {
            analyzer.close();
            analyzer = null;
        }
        dbs.values().forEach(TenantDb::close);
        dbs.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Closes one tenant's log and database (before deleting it). */
    void release(TenantName name) {
        AuditLog log = logs.remove(name);
        if (log != null) {
            log.close();
        }
        UnlockedVault u = unlocked.remove(name);
        if (u != null) {
            u.close();
        }
        TenantDb db = dbs.remove(name);
        if (db != null) {
            db.close();
        }
    }
}
