package dev.gatekey.identity.persistence;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

@ApplicationScoped
public class AccessKeyRepository implements PanacheRepositoryBase<AccessKeyEntity, String> {

    /** The keys of a user, or of the root user when {@code userId} is null, oldest first. */
    public List<AccessKeyEntity> findByOwner(String accountId, String userId) {
        return userId == null
                ? list("accountId = ?1 and userId is null order by createdAt, accessKeyId", accountId)
                : list("accountId = ?1 and userId = ?2 order by createdAt, accessKeyId", accountId, userId);
    }

    /** Records a use without loading the row (AWS: date, service and region of the last use). */
    public void recordUse(String accessKeyId, Instant at, String service, String region) {
        update("lastUsedAt = ?1, lastUsedService = ?2, lastUsedRegion = ?3 where accessKeyId = ?4", at, service,
                region, accessKeyId);
    }
}
