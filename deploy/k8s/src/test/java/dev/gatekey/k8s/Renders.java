package dev.gatekey.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Each kustomization rendered once per test run. */
final class Renders {
    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    private Renders() {
    }

    static Rendered overlay(String name) {
        return CACHE.computeIfAbsent("overlays/" + name, k -> Rendered.of(Kustomize.K8S.resolve(k)));
    }

    static Rendered base() {
        return CACHE.computeIfAbsent("base", k -> Rendered.of(Kustomize.K8S.resolve(k)));
    }

    /** The overlays (what is deployed), for parameterized tests. */
    static List<Rendered> overlays() {
        List<Rendered> result = new ArrayList<>();
        for (var dir : Kustomize.overlays()) {
            result.add(overlay(dir.getFileName().toString()));
        }
        return result;
    }

    /** The base too, for the checks every rendering must pass. */
    static List<Rendered> all() {
        List<Rendered> result = new ArrayList<>(overlays());
        result.add(base());
        return result;
    }
}
