package dev.gatekey.platform.observability;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Turns OpenTelemetry tracing on exactly when {@code GATEKEY_OTEL_ENDPOINT} names an OTLP
 * collector: otherwise {@code quarkus.otel.sdk.disabled=true}, so nothing tries to export to a
 * collector that is not there. (A plain property expression cannot say "on when another
 * variable is set".) Its ordinal is below application.properties and the environment, so an
 * explicit {@code quarkus.otel.sdk.disabled} (the services' {@code %test} profile,
 * {@code QUARKUS_OTEL_SDK_DISABLED}) still wins.
 */
public class TracingSwitchConfigSource implements ConfigSource {
    static final String ENDPOINT_VARIABLE = "GATEKEY_OTEL_ENDPOINT";
    static final String SDK_DISABLED = "quarkus.otel.sdk.disabled";
    private static final int ORDINAL = 200;

    private final Function<String, String> environment;

    public TracingSwitchConfigSource() {
        this(System::getenv);
    }

    TracingSwitchConfigSource(Function<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(SDK_DISABLED, Boolean.toString(!tracingRequested()));
    }

    @Override
    public Set<String> getPropertyNames() {
        return Set.of(SDK_DISABLED);
    }

    @Override
    public String getValue(String propertyName) {
        return SDK_DISABLED.equals(propertyName) ? Boolean.toString(!tracingRequested()) : null;
    }

    @Override
    public String getName() {
        return "gatekey-tracing-switch";
    }

    @Override
    public int getOrdinal() {
        return ORDINAL;
    }

    private boolean tracingRequested() {
        String endpoint = environment.apply(ENDPOINT_VARIABLE);
        return endpoint != null && !endpoint.isBlank();
    }
}
