package dev.gatekey.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system on one machine: an embedded PostgreSQL with one database and one role per
 * service, and the three packaged services started as separate {@code java -jar} processes.
 *
 * <p>Everything that must survive a restart (the database files, keys, the bootstrapped
 * account) lives in the work directory, so a second start finds the same data.
 */
public final class LocalSystem implements AutoCloseable {
    /** The services in start order: each one's peers are up before it starts. */
    public enum Service {
        POLICY("policy-service", "POLICY"),
        MFA("mfa-device-service", "MFA"),
        IDENTITY("identity-service", "IDENTITY");

        final String module;
        final String envPrefix;

        Service(String module, String envPrefix) {
            this.module = module;
            this.envPrefix = envPrefix;
        }

        public String module() {
            return module;
        }

        String database() {
            return "gatekey_" + envPrefix.toLowerCase();
        }
    }

    /** The HTTP and gRPC port of one service. */
    public record Ports(int http, int grpc) {
    }

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Path repoRoot;
    private final LocalState state;
    private final Map<Service, Ports> ports;
    private final Path logDir;
    private final List<Process> processes = new ArrayList<>();
    private EmbeddedPostgres postgres;

    private LocalSystem(Path repoRoot, LocalState state, Map<Service, Ports> ports) {
        this.repoRoot = repoRoot;
        this.state = state;
        this.ports = ports;
        this.logDir = state.workDir().resolve("logs");
    }

    /** The fixed ports of the documented local run: HTTP 8081–8083, gRPC 9091–9093. */
    public static Map<Service, Ports> defaultPorts() {
        Map<Service, Ports> ports = new LinkedHashMap<>();
        ports.put(Service.IDENTITY, new Ports(8081, 9091));
        ports.put(Service.MFA, new Ports(8082, 9092));
        ports.put(Service.POLICY, new Ports(8083, 9093));
        return ports;
    }

    /** Free ports chosen by the operating system, for tests. */
    public static Map<Service, Ports> freePorts() {
        Map<Service, Ports> ports = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            ports.put(service, new Ports(freePort(), freePort()));
        }
        return ports;
    }

    /** Starts PostgreSQL and the three services; returns when all three are ready. */
    public static LocalSystem start(Path repoRoot, Path workDir, Map<Service, Ports> ports) throws IOException {
        LocalSystem system = new LocalSystem(repoRoot, LocalState.load(workDir), ports);
        try {
            system.startPostgres();
            for (Service service : Service.values()) {
                system.startService(service);
            }
            for (Service service : Service.values()) {
                system.awaitReady(service);
            }
            return system;
        } catch (IOException | RuntimeException e) {
            system.close();
            throw e;
        }
    }

    public LocalState state() {
        return state;
    }

    public String grpcAddress(Service service) {
        return "127.0.0.1:" + ports.get(service).grpc();
    }

    public String httpUrl(Service service) {
        return "http://127.0.0.1:" + ports.get(service).http();
    }

    public Path logFile(Service service) {
        return logDir.resolve(service.module() + ".log");
    }

    /** What the run command prints and writes to {@code local.env}, as shell assignments. */
    public Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("GATEKEY_IDENTITY_GRPC", grpcAddress(Service.IDENTITY));
        env.put("GATEKEY_MFA_GRPC", grpcAddress(Service.MFA));
        env.put("GATEKEY_POLICY_GRPC", grpcAddress(Service.POLICY));
        env.put("GATEKEY_ENDPOINT_URL", httpUrl(Service.IDENTITY));
        env.put("GATEKEY_ACCOUNT_ID", state.accountId());
        env.put("GATEKEY_ROOT_EMAIL", state.rootEmail());
        env.put("GATEKEY_ROOT_PASSWORD", state.rootPassword());
        // the AWS CLI and SDKs: aws --endpoint-url "$GATEKEY_ENDPOINT_URL" iam list-users
        env.put("AWS_ACCESS_KEY_ID", state.rootAccessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", state.rootSecretAccessKey());
        env.put("AWS_DEFAULT_REGION", "us-east-1");
        return env;
    }

    private void startPostgres() throws IOException {
        Path dataDir = state.workDir().resolve("pgdata");
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDir)
                .setCleanDataDirectory(false)
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection()) {
            for (Service service : Service.values()) {
                createDatabase(c, service.database(), state.databasePassword(service.database()));
            }
        } catch (SQLException e) {
            throw new IOException("Could not prepare the service databases", e);
        }
    }

    /** One role per service owning one database: no service can read another's tables. */
    private static void createDatabase(Connection c, String name, String password) throws SQLException {
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery(); Statement s = c.createStatement()) {
                if (!rs.next()) {
                    s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + password + "'");
                }
            }
        }
        try (PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet rs = exists.executeQuery(); Statement s = c.createStatement()) {
                if (!rs.next()) {
                    s.execute("CREATE DATABASE " + name + " OWNER " + name);
                    s.execute("REVOKE ALL ON DATABASE " + name + " FROM PUBLIC");
                }
            }
        }
    }

    private void startService(Service service) throws IOException {
        Path jar = repoRoot.resolve(service.module()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar + " is missing: build first with ./mvnw -DskipTests package");
        }
        Files.createDirectories(logDir);
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        ProcessBuilder builder = new ProcessBuilder(javaBin.toString(), "-Xmx256m", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(service).toFile()));
        builder.environment().putAll(serviceEnvironment(service));
        processes.add(builder.start());
    }

    private Map<String, String> serviceEnvironment(Service service) {
        Map<String, String> env = new LinkedHashMap<>();
        String prefix = "GATEKEY_" + service.envPrefix + "_";
        env.put(prefix + "DB_URL", postgres.getJdbcUrl(service.database(), service.database()));
        env.put(prefix + "DB_USER", service.database());
        env.put(prefix + "DB_PASSWORD", state.databasePassword(service.database()));
        env.put("GATEKEY_BIND_HOST", "127.0.0.1"); // nothing of a local run listens beyond loopback
        env.put(prefix + "HTTP_PORT", Integer.toString(ports.get(service).http()));
        env.put(prefix + "GRPC_PORT", Integer.toString(ports.get(service).grpc()));
        env.put("GATEKEY_JWT_PUBLIC_KEY_LOCATION", state.jwtPublicKey().toUri().toString());
        env.put("GATEKEY_POLICY_GRPC_HOST", "127.0.0.1");
        env.put("GATEKEY_POLICY_GRPC_PORT", Integer.toString(ports.get(Service.POLICY).grpc()));
        switch (service) {
            case MFA -> {
                env.put("GATEKEY_MFA_SEED_KEYS", state.seedKeyRing());
                env.put("GATEKEY_MFA_SEED_ACTIVE_KEY_ID", state.seedActiveKeyId());
            }
            case IDENTITY -> {
                env.put("GATEKEY_JWT_PRIVATE_KEY_LOCATION", state.jwtPrivateKey().toUri().toString());
                env.put("GATEKEY_MFA_GRPC_HOST", "127.0.0.1");
                env.put("GATEKEY_MFA_GRPC_PORT", Integer.toString(ports.get(Service.MFA).grpc()));
                env.put("GATEKEY_ACCOUNT_ID", state.accountId());
                env.put("GATEKEY_ACCOUNT_NAME", state.accountName());
                env.put("GATEKEY_ROOT_EMAIL", state.rootEmail());
                env.put("GATEKEY_ROOT_PASSWORD", state.rootPassword());
                env.put("GATEKEY_ROOT_ACCESS_KEY_ID", state.rootAccessKeyId());
                env.put("GATEKEY_ROOT_SECRET_ACCESS_KEY", state.rootSecretAccessKey());
                env.put("GATEKEY_IDENTITY_SECRET_KEYS", state.identitySecretKeyRing());
                env.put("GATEKEY_IDENTITY_SECRET_ACTIVE_KEY_ID", state.identitySecretActiveKeyId());
            }
            default -> {
            }
        }
        return env;
    }

    private void awaitReady(Service service) throws IOException {
        Process process = processes.get(service.ordinal());
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(httpUrl(service) + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(READY_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(service.module() + " exited with status " + process.exitValue()
                        + "; see " + logFile(service));
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while waiting for " + service.module(), e);
            }
            sleep(250);
        }
        throw new IOException(service.module() + " was not ready within " + READY_TIMEOUT.toSeconds()
                + " s; see " + logFile(service));
    }

    /** Stops the services (SIGTERM, then kill after 15 s) and PostgreSQL. */
    @Override
    public void close() {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process process = processes.get(i);
            process.destroy();
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        processes.clear();
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                postgres = null;
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
