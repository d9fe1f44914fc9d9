package dev.gatekey.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

@ApplicationScoped
public class GroupMembershipRepository
        implements PanacheRepositoryBase<GroupMembershipEntity, GroupMembershipEntity.Key> {

    public List<UserEntity> usersOf(String groupId) {
        return getEntityManager().createQuery("select u from UserEntity u, GroupMembershipEntity m"
                + " where m.userId = u.userId and m.groupId = ?1 order by lower(u.userName)", UserEntity.class)
                .setParameter(1, groupId).getResultList();
    }

    public long countForUser(String userId) {
        return count("userId", userId);
    }

    public long countForGroup(String groupId) {
        return count("groupId", groupId);
    }
}
