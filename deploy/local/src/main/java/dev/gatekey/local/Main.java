package dev.gatekey.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code deploy/local/run.sh}: starts the whole system on an embedded PostgreSQL, prints where
 * to go next and writes the same to {@code .gatekey/local.env}; Ctrl-C stops everything.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Path repoRoot = Path.of(System.getProperty("gatekey.repo", ".")).toAbsolutePath().normalize();
        Path workDir = Path.of(System.getProperty("gatekey.work", repoRoot.resolve(".gatekey").toString()))
                .toAbsolutePath();
        System.out.println("Starting Gatekey (PostgreSQL, policy-service, mfa-device-service, identity-service)...");
        // -Dgatekey.ports=free picks free ports (to run beside another local system)
        boolean freePorts = "free".equals(System.getProperty("gatekey.ports", "default"));
        LocalSystem system = LocalSystem.start(repoRoot, workDir,
                freePorts ? LocalSystem.freePorts() : LocalSystem.defaultPorts());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("\nStopping Gatekey...");
            system.close();
            System.out.println("Stopped.");
            stopped.countDown();
        }, "gatekey-stop"));

        Map<String, String> env = system.environment();
        StringBuilder file = new StringBuilder("# Written by deploy/local/run.sh; source it: . .gatekey/local.env\n");
        env.forEach((k, v) -> file.append("export ").append(k).append("='").append(v).append("'\n"));
        Path envFile = workDir.resolve("local.env");
        Files.writeString(envFile, file.toString());

        System.out.println();
        System.out.println("Gatekey is running.");
        System.out.println("  identity-service  gRPC " + env.get("GATEKEY_IDENTITY_GRPC") + "   HTTP "
                + env.get("GATEKEY_ENDPOINT_URL"));
        System.out.println("  mfa-device-service gRPC " + env.get("GATEKEY_MFA_GRPC") + "   HTTP "
                + system.httpUrl(LocalSystem.Service.MFA));
        System.out.println("  policy-service    gRPC " + env.get("GATEKEY_POLICY_GRPC") + "   HTTP "
                + system.httpUrl(LocalSystem.Service.POLICY));
        System.out.println();
        System.out.println("Account " + env.get("GATEKEY_ACCOUNT_ID") + ", root user " + env.get("GATEKEY_ROOT_EMAIL")
                + " / password " + env.get("GATEKEY_ROOT_PASSWORD"));
        System.out.println("AWS CLI: . " + envFile + "; aws --endpoint-url \"$GATEKEY_ENDPOINT_URL\" iam list-users"
                + " (root access key " + env.get("AWS_ACCESS_KEY_ID") + ")");
        System.out.println();
        System.out.println("Written to " + envFile + " (source it in a shell: . " + envFile + ").");
        System.out.println("Next: the MFA flow in README.md (\"Try it\"). Logs: " + workDir.resolve("logs")
                + ". Ctrl-C stops everything.");
        stopped.await();
    }
}
