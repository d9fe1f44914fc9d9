package dev.gatekey.platform.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

class TracingSwitchConfigSourceTest {
    @Test
    void tracingIsOffWithoutAnEndpointAndOnWithOne() {
        assertEquals("true", new TracingSwitchConfigSource(Map.<String, String>of()::get)
                .getValue("quarkus.otel.sdk.disabled"));
        assertEquals("true", new TracingSwitchConfigSource(Map.of("GATEKEY_OTEL_ENDPOINT", " ")::get)
                .getValue("quarkus.otel.sdk.disabled"));
        var on = new TracingSwitchConfigSource(Map.of("GATEKEY_OTEL_ENDPOINT", "http://otel-collector:4317")::get);
        assertEquals("false", on.getValue("quarkus.otel.sdk.disabled"));
        assertEquals(Map.of("quarkus.otel.sdk.disabled", "false"), on.getProperties());
        assertNull(on.getValue("quarkus.otel.traces.exporter"));
    }

    @Test
    void yieldsToApplicationPropertiesAndTheEnvironment() {
        // application.properties in a jar is 250, environment variables 300
        assertTrue(new TracingSwitchConfigSource().getOrdinal() < 250);
    }

    @Test
    void isRegisteredForServiceLoading() {
        assertTrue(ServiceLoader.load(ConfigSource.class).stream()
                .anyMatch(p -> p.type() == TracingSwitchConfigSource.class));
    }
}
