package dev.gatekey.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class GroupRepository implements PanacheRepositoryBase<GroupEntity, String> {

    public Optional<GroupEntity> findByName(String accountId, String groupName) {
        return find("accountId = ?1 and lower(groupName) = lower(?2)", accountId, groupName).firstResultOptional();
    }

    /** Groups whose path starts with {@code pathPrefix}, by name. */
    public List<GroupEntity> listByPathPrefix(String accountId, String pathPrefix) {
        return list("accountId = ?1 and path like ?2 order by lower(groupName)", accountId, likePrefix(pathPrefix));
    }

    /** The groups {@code userId} belongs to, by name. */
    public List<GroupEntity> listForUser(String userId) {
        return getEntityManager().createQuery("select g from GroupEntity g, GroupMembershipEntity m"
                + " where m.groupId = g.groupId and m.userId = ?1 order by lower(g.groupName)", GroupEntity.class)
                .setParameter(1, userId).getResultList();
    }

    static String likePrefix(String prefix) {
        return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }
}
