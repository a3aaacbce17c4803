package io.sparkps.bench.mllib;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/** The largest old-generation occupancy seen right after a garbage collection. */
final class OldGenPeak {
  private final AtomicLong peak = new AtomicLong();

  /** Starts listening to the collections of this JVM. */
  static OldGenPeak install() {
    OldGenPeak p = new OldGenPeak();
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
        if (n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
          info.getGcInfo().getMemoryUsageAfterGc().forEach((pool, usage) -> {
            if (isOldGen(pool)) {
              p.peak.accumulateAndGet(usage.getUsed(), Math::max);
            }
          });
        }
      }, null, null);
    }
    return p;
  }

  private static boolean isOldGen(String pool) {
    return pool.contains("Old Gen") || pool.contains("Tenured");
  }

  /** The peak so far, or the current old generation use if no collection has run yet. */
  long bytes() {
    long now = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && isOldGen(pool.getName())) {
        MemoryUsage u = pool.getCollectionUsage();
        now = Math.max(now, u == null ? 0 : u.getUsed());
      }
    }
    return Math.max(peak.get(), now);
  }
}
