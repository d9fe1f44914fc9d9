package dev.gatekey.identity.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/**
 * How long identity-service waits for each peer under {@code gatekey.peers}: a call past its
 * deadline answers ServiceUnavailable although the peer may still complete it (a
 * CreateVirtualMFADevice whose seed the caller then never sees), so the defaults leave room for
 * a loaded machine.
 */
@ConfigMapping(prefix = "gatekey.peers")
public interface PeerDeadlines {
    /** mfa-device-service ({@code GATEKEY_MFA_DEADLINE}). */
    Peer mfa();

    /** policy-service's management and simulation RPCs ({@code GATEKEY_POLICY_DEADLINE}). */
    Peer policy();

    /** One peer's settings. */
    interface Peer {
        /** The gRPC deadline of every call to this peer. */
        @WithDefault("10s")
        Duration deadline();
    }
}
