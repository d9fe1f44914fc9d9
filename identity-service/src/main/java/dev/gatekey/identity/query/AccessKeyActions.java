package dev.gatekey.identity.query;

import dev.gatekey.identity.application.AccessKeys;
import dev.gatekey.identity.domain.AccessKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;

/** IAM access keys: Create/List/Update/DeleteAccessKey, GetAccessKeyLastUsed. */
@ApplicationScoped
public class AccessKeyActions implements QueryActions {
    @Inject
    AccessKeys keys;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.of(
                "CreateAccessKey", this::create,
                "ListAccessKeys", this::list,
                "UpdateAccessKey", this::update,
                "DeleteAccessKey", this::delete,
                "GetAccessKeyLastUsed", this::lastUsed);
    }

    QueryResult create(QueryRequest request) {
        AccessKeys.Created created = keys.create(request.caller(), request.string("UserName").orElse(null));
        AccessKey key = created.key();
        return xml -> xml.nested("AccessKey", k -> {
            if (!key.userName().isEmpty()) {
                k.element("UserName", key.userName());
            }
            k.element("AccessKeyId", key.accessKeyId())
                    .element("Status", key.status())
                    .element("SecretAccessKey", created.secretAccessKey())
                    .element("CreateDate", key.createDate());
        });
    }

    QueryResult list(QueryRequest request) {
        Page<AccessKey> page = Page.of(keys.list(request.caller(), request.string("UserName").orElse(null)), request);
        return xml -> xml.members("AccessKeyMetadata", page.items(), (m, key) -> {
            if (!key.userName().isEmpty()) {
                m.element("UserName", key.userName());
            }
            m.element("AccessKeyId", key.accessKeyId()).element("Status", key.status())
                    .element("CreateDate", key.createDate());
        }).paging(page);
    }

    QueryResult update(QueryRequest request) {
        keys.update(request.caller(), request.string("UserName").orElse(null), request.required("AccessKeyId"),
                request.required("Status"));
        return QueryResult.NONE;
    }

    QueryResult delete(QueryRequest request) {
        keys.delete(request.caller(), request.string("UserName").orElse(null), request.required("AccessKeyId"));
        return QueryResult.NONE;
    }

    /** AWS writes {@code N/A} for service and region of a key never used. */
    QueryResult lastUsed(QueryRequest request) {
        AccessKey key = keys.lastUsed(request.caller(), request.required("AccessKeyId"));
        return xml -> {
            if (!key.userName().isEmpty()) {
                xml.element("UserName", key.userName());
            }
            xml.nested("AccessKeyLastUsed", u -> u.optional("LastUsedDate", key.lastUsedDate())
                    .element("ServiceName", key.lastUsedService().orElse("N/A"))
                    .element("Region", key.lastUsedRegion().orElse("N/A")));
        };
    }

}
