package dev.gatekey.identity.persistence;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A row of {@code user_tags}. */
@Entity
@Table(name = "user_tags")
@IdClass(UserTagEntity.Key.class)
public class UserTagEntity {
    @Id
    @Column(name = "user_id", nullable = false, updatable = false)
    public String userId;

    @Id
    @Column(name = "tag_key", nullable = false, updatable = false)
    public String key;

    @Column(name = "tag_value", nullable = false)
    public String value;

    /** The composite key. */
    public static class Key implements Serializable {
        public String userId;
        public String key;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(userId, k.userId) && Objects.equals(key, k.key);
        }

        @Override
        public int hashCode() {
            return Objects.hash(userId, key);
        }
    }
}
