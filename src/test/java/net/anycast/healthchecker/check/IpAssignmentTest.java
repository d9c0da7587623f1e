package net.anycast.healthchecker.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.SocketException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import net.anycast.healthchecker.check.IpAssignment.Answer;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;

class IpAssignmentTest {
  private static final IpPrefix V4 = IpPrefix.parse("10.52.12.1/32");
  private static final IpPrefix V4_NET = IpPrefix.parse("10.52.13.0/24");
  private static final IpPrefix V6 = IpPrefix.parse("2001:db8::1/128");

  private final AtomicLong now = new AtomicLong();
  private final AtomicInteger reads = new AtomicInteger();

  private IpAssignment over(Map<String, Set<IpPrefix>> table) {
    return new IpAssignment(() -> {
      reads.incrementAndGet();
      return table;
    }, now::get, Duration.ofSeconds(1));
  }

  @Test
  void check_allPrefixesOnInterface_assigned() {
    IpAssignment ip = over(Map.of("lo", Set.of(V4, V4_NET, V6)));
    assertThat(ip.check("lo", List.of(V4, V4_NET, V6))).isEqualTo(new Answer.Assigned());
  }

  @Test
  void check_onePrefixMissing_namesIt() {
    IpAssignment ip = over(Map.of("lo", Set.of(V4)));
    assertThat(ip.check("lo", List.of(V4, V6))).isEqualTo(new Answer.NotAssigned(V6));
  }

  @Test
  void check_sameAddressOtherLength_notAssigned() {
    IpPrefix wider = IpPrefix.parse("10.52.12.0/24");
    IpAssignment ip = over(Map.of("lo", Set.of(IpPrefix.parse("10.52.12.0/25"))));
    assertThat(ip.check("lo", List.of(wider))).isEqualTo(new Answer.NotAssigned(wider));
  }

  @Test
  void check_onAnotherInterface_notAssigned() {
    IpAssignment ip = over(Map.of("lo", Set.of(), "eth0", Set.of(V4)));
    assertThat(ip.check("lo", List.of(V4))).isEqualTo(new Answer.NotAssigned(V4));
  }

  @Test
  void check_missingInterface_noSuchInterface() {
    IpAssignment ip = over(Map.of("lo", Set.of(V4)));
    assertThat(ip.check("lo0", List.of(V4))).isEqualTo(new Answer.NoSuchInterface());
  }

  @Test
  void check_unreadableTable_cannotTellAndRetriesNextTime() {
    IpAssignment ip = new IpAssignment(() -> {
      reads.incrementAndGet();
      throw new SocketException("boom");
    }, now::get, Duration.ofSeconds(1));
    assertThat(ip.check("lo", List.of(V4))).isInstanceOf(Answer.CannotTell.class);
    assertThat(ip.check("lo", List.of(V4))).isInstanceOf(Answer.CannotTell.class);
    assertThat(reads).hasValue(2);
  }

  @Test
  void check_sharesOneReadWithinMaxAge() {
    IpAssignment ip = over(Map.of("lo", Set.of(V4)));
    ip.check("lo", List.of(V4));
    now.addAndGet(Duration.ofMillis(999).toNanos());
    ip.check("lo", List.of(V6));
    assertThat(reads).hasValue(1);
    now.addAndGet(Duration.ofMillis(1).toNanos());
    ip.check("lo", List.of(V4));
    assertThat(reads).hasValue(2);
  }

  @Test
  void system_loopback_answersFromTheKernel() throws Exception {
    IpAssignment ip = IpAssignment.system();
    // lo carries 127.0.0.1/8: neither 127.0.0.1/32 nor 127.0.0.0/8 is that address.
    assertThat(ip.check("lo", List.of(IpPrefix.parse("127.0.0.1/32"))))
        .isInstanceOf(Answer.NotAssigned.class);
    assertThat(ip.check("lo", List.of(IpPrefix.parse("127.0.0.0/8"))))
        .isInstanceOf(Answer.NotAssigned.class);
    assertThat(ip.check("no-such-if0", List.of(V4))).isEqualTo(new Answer.NoSuchInterface());
    assumeTrue(IpAssignment.readSystemTable().get("lo").contains(IpPrefix.parse("::1/128")),
        "IPv6 on lo");
    assertThat(ip.check("lo", List.of(IpPrefix.parse("::1/128")))).isEqualTo(new Answer.Assigned());
  }
}
