package dev.gatekey.identity.query;

import dev.gatekey.identity.application.IamUsers;
import dev.gatekey.identity.domain.IamUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.xml.stream.XMLStreamException;

/** IAM users: Create/Get/List/Update/DeleteUser, TagUser, UntagUser, ListUserTags. */
@ApplicationScoped
public class UserActions implements QueryActions {
    @Inject
    IamUsers users;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.of(
                "CreateUser", this::createUser,
                "GetUser", this::getUser,
                "ListUsers", this::listUsers,
                "UpdateUser", this::updateUser,
                "DeleteUser", this::deleteUser,
                "TagUser", this::tagUser,
                "UntagUser", this::untagUser,
                "ListUserTags", this::listUserTags);
    }

    QueryResult createUser(QueryRequest request) {
        Map<String, String> tags = tags(request);
        IamUser user = users.createUser(request.caller(), request.required("UserName"),
                request.string("Path").orElse(null), tags);
        return xml -> xml.nested("User", u -> user(u, user, tags));
    }

    QueryResult getUser(QueryRequest request) {
        IamUser user = users.getUser(request.caller(), request.string("UserName").orElse(null));
        Map<String, String> tags = user.userName().isEmpty() ? Map.of() : users.tagsOf(user.userId());
        Optional<String> boundary = users.permissionsBoundary(request.caller(), user);
        return xml -> xml.nested("User", u -> {
            user(u, user, Map.of());
            // AWS's AttachedPermissionsBoundary: only GetUser returns it
            if (boundary.isPresent()) {
                u.nested("PermissionsBoundary", b -> b.element("PermissionsBoundaryType", "PermissionsBoundaryPolicy")
                        .element("PermissionsBoundaryArn", boundary.get()));
            }
            if (!tags.isEmpty()) {
                u.members("Tags", tags.entrySet(), (m, t) -> m.element("Key", t.getKey()).element("Value", t.getValue()));
            }
        });
    }

    QueryResult listUsers(QueryRequest request) {
        Page<IamUser> page = Page.of(users.listUsers(request.caller(), request.string("PathPrefix").orElse(null)),
                request);
        return xml -> xml.members("Users", page.items(), (m, user) -> user(m, user, Map.of())).paging(page);
    }

    QueryResult updateUser(QueryRequest request) {
        users.updateUser(request.caller(), request.required("UserName"), request.string("NewUserName").orElse(null),
                request.string("NewPath").orElse(null));
        return QueryResult.NONE;
    }

    QueryResult deleteUser(QueryRequest request) {
        users.deleteUser(request.caller(), request.required("UserName"));
        return QueryResult.NONE;
    }

    QueryResult tagUser(QueryRequest request) {
        users.tagUser(request.caller(), request.required("UserName"), tags(request));
        return QueryResult.NONE;
    }

    QueryResult untagUser(QueryRequest request) {
        users.untagUser(request.caller(), request.required("UserName"), request.list("TagKeys"));
        return QueryResult.NONE;
    }

    QueryResult listUserTags(QueryRequest request) {
        Page<Map.Entry<String, String>> page = Page.of(
                users.listUserTags(request.caller(), request.required("UserName")).entrySet().stream().toList(),
                request);
        return xml -> xml.members("Tags", page.items(), (m, tag) -> m.element("Key", tag.getKey())
                .element("Value", tag.getValue())).paging(page);
    }

    /** {@code Tags.member.N.Key} / {@code .Value}. */
    static Map<String, String> tags(QueryRequest request) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (Map<String, String> member : request.structures("Tags")) {
            tags.put(member.get("Key"), member.getOrDefault("Value", ""));
        }
        return tags;
    }

    /** AWS's {@code User} shape (Tags only when there are some). */
    static void user(XmlOut xml, IamUser user, Map<String, String> tags) throws XMLStreamException {
        if (!user.path().isEmpty()) {
            xml.element("Path", user.path());
        }
        if (!user.userName().isEmpty()) {
            xml.element("UserName", user.userName());
        }
        xml.element("UserId", user.userId()).element("Arn", user.arn()).element("CreateDate", user.createDate());
        if (!tags.isEmpty()) {
            xml.members("Tags", tags.entrySet(), (m, t) -> m.element("Key", t.getKey()).element("Value", t.getValue()));
        }
    }
}
