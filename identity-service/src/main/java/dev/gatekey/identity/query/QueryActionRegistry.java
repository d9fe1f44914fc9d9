package dev.gatekey.identity.query;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** Every action of every {@link QueryActions} bean, by API and name. */
@ApplicationScoped
public class QueryActionRegistry {
    @Inject
    @Any
    Instance<QueryActions> groups;

    private final Map<QueryApi, Map<String, QueryAction>> actions = new EnumMap<>(QueryApi.class);

    @PostConstruct
    void collect() {
        for (QueryApi api : QueryApi.values()) {
            actions.put(api, new HashMap<>());
        }
        for (QueryActions group : groups) {
            group.actions().forEach((name, action) -> {
                if (actions.get(group.api()).putIfAbsent(name, action) != null) {
                    throw new IllegalStateException("Query action " + group.api() + " " + name
                            + " is registered twice (again by " + group.getClass().getName() + ")");
                }
            });
        }
    }

    public Optional<QueryAction> find(QueryApi api, String action) {
        return Optional.ofNullable(actions.get(api).get(action));
    }

    /** The API that has {@code action}, for requests without a Version (IAM first). */
    public Optional<QueryApi> apiOf(String action) {
        for (QueryApi api : QueryApi.values()) {
            if (actions.get(api).containsKey(action)) {
                return Optional.of(api);
            }
        }
        return Optional.empty();
    }
}
