package dev.gatekey.identity.query;

import dev.gatekey.identity.application.IamGroups;
import dev.gatekey.identity.domain.IamGroup;
import dev.gatekey.identity.domain.IamUser;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import javax.xml.stream.XMLStreamException;

/**
 * IAM groups: Create/Get/List/Update/DeleteGroup, AddUserToGroup, RemoveUserFromGroup,
 * ListGroupsForUser.
 */
@ApplicationScoped
public class GroupActions implements QueryActions {
    @Inject
    IamGroups groups;

    @Override
    public QueryApi api() {
        return QueryApi.IAM;
    }

    @Override
    public Map<String, QueryAction> actions() {
        return Map.of(
                "CreateGroup", this::createGroup,
                "GetGroup", this::getGroup,
                "ListGroups", this::listGroups,
                "UpdateGroup", this::updateGroup,
                "DeleteGroup", this::deleteGroup,
                "AddUserToGroup", this::addUserToGroup,
                "RemoveUserFromGroup", this::removeUserFromGroup,
                "ListGroupsForUser", this::listGroupsForUser);
    }

    QueryResult createGroup(QueryRequest request) {
        IamGroup group = groups.create(request.caller(), request.required("GroupName"),
                request.string("Path").orElse(null));
        return xml -> xml.nested("Group", g -> group(g, group));
    }

    QueryResult getGroup(QueryRequest request) {
        IamGroups.GroupWithUsers found = groups.get(request.caller(), request.required("GroupName"));
        Page<IamUser> page = Page.of(found.users(), request);
        return xml -> xml.nested("Group", g -> group(g, found.group()))
                .members("Users", page.items(), (m, user) -> UserActions.user(m, user, Map.of()))
                .paging(page);
    }

    QueryResult listGroups(QueryRequest request) {
        Page<IamGroup> page = Page.of(groups.list(request.caller(), request.string("PathPrefix").orElse(null)),
                request);
        return xml -> xml.members("Groups", page.items(), GroupActions::group).paging(page);
    }

    QueryResult updateGroup(QueryRequest request) {
        groups.update(request.caller(), request.required("GroupName"), request.string("NewGroupName"),
                request.string("NewPath"));
        return QueryResult.NONE;
    }

    QueryResult deleteGroup(QueryRequest request) {
        groups.delete(request.caller(), request.required("GroupName"));
        return QueryResult.NONE;
    }

    QueryResult addUserToGroup(QueryRequest request) {
        groups.addUser(request.caller(), request.required("GroupName"), request.required("UserName"));
        return QueryResult.NONE;
    }

    QueryResult removeUserFromGroup(QueryRequest request) {
        groups.removeUser(request.caller(), request.required("GroupName"), request.required("UserName"));
        return QueryResult.NONE;
    }

    QueryResult listGroupsForUser(QueryRequest request) {
        Page<IamGroup> page = Page.of(groups.listForUser(request.caller(), request.required("UserName")), request);
        return xml -> xml.members("Groups", page.items(), GroupActions::group).paging(page);
    }

    static void group(XmlOut xml, IamGroup group) throws XMLStreamException {
        xml.element("Path", group.path()).element("GroupName", group.groupName()).element("GroupId", group.groupId())
                .element("Arn", group.arn()).element("CreateDate", group.createDate());
    }
}
