package dev.gatekey.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code group_memberships}: a user in a group. */
@Entity
@Table(name = "group_memberships")
@IdClass(GroupMembershipEntity.Key.class)
public class GroupMembershipEntity {
    @Id
    @Column(name = "group_id", nullable = false, updatable = false)
    public String groupId;

    @Id
    @Column(name = "user_id", nullable = false, updatable = false)
    public String userId;

    /** The composite key. */
    public static class Key implements Serializable {
        public String groupId;
        public String userId;

        public Key() {
        }

        public Key(String groupId, String userId) {
            this.groupId = groupId;
            this.userId = userId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(groupId, k.groupId) && Objects.equals(userId, k.userId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(groupId, userId);
        }
    }
}
