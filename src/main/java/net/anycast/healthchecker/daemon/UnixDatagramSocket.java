package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;

/**
 * An AF_UNIX datagram socket through libc (FFM): the JDK has Unix-domain stream channels only, and
 * no abstract addresses. An address starting with {@code @} is abstract (Linux): the {@code @}
 * becomes the leading NUL of {@code sun_path}, as systemd and the original's lock write it.
 *
 * <p>Restricted FFM calls need {@code --enable-native-access=ALL-UNNAMED} (launcher, manifest,
 * surefire), hence the suppression.
 */
@SuppressWarnings("restricted")
final class UnixDatagramSocket implements AutoCloseable {
  private static final int AF_UNIX = 1;
  private static final int SOCK_DGRAM = 2;
  private static final int SOCK_CLOEXEC = 0x80000;
  private static final int SUN_PATH_MAX = 108;

  private static final Linker LINKER = Linker.nativeLinker();
  private static final SymbolLookup LIBC = LINKER.defaultLookup();
  private static final Linker.Option ERRNO = Linker.Option.captureCallState("errno");
  private static final MemoryLayout STATE = Linker.Option.captureStateLayout();
  private static final VarHandle ERRNO_HANDLE =
      STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

  private static final MethodHandle SOCKET =
      fn("socket", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
          ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle BIND =
      fn("bind", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
  private static final MethodHandle SENDTO =
      fn("sendto", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
          ValueLayout.JAVA_INT));
  private static final MethodHandle RECV =
      fn("recv", FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT,
          ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
  private static final MethodHandle CLOSE =
      LINKER.downcallHandle(LIBC.find("close").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
  private static final MethodHandle STRERROR =
      LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.ADDRESS.withTargetLayout(
              MemoryLayout.sequenceLayout(256, ValueLayout.JAVA_BYTE)), ValueLayout.JAVA_INT));

  private final int fd;

  private UnixDatagramSocket(int fd) {
    this.fd = fd;
  }

  private static MethodHandle fn(String name, FunctionDescriptor descriptor) {
    return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor, ERRNO);
  }

  /** Returns a new unbound socket. */
  static UnixDatagramSocket open() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      int fd = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (fd < 0) {
        throw failure("socket(AF_UNIX, SOCK_DGRAM)", state);
      }
      return new UnixDatagramSocket(fd);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("socket(AF_UNIX, SOCK_DGRAM)", t);
    }
  }

  /** Binds to {@code address} (a path, or {@code @name} for an abstract address). */
  void bind(String address) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      MemorySegment sockaddr = sockaddr(arena, address);
      int rc = (int) BIND.invokeExact(state, fd, sockaddr, (int) sockaddr.byteSize());
      if (rc != 0) {
        throw failure("bind(" + address + ")", state);
      }
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("bind(" + address + ")", t);
    }
  }

  /** Sends one datagram to {@code address}. */
  void send(String address, byte[] payload) throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      MemorySegment sockaddr = sockaddr(arena, address);
      MemorySegment buf = arena.allocateFrom(ValueLayout.JAVA_BYTE, payload);
      long sent = (long) SENDTO.invokeExact(state, fd, buf, (long) payload.length, 0, sockaddr,
          (int) sockaddr.byteSize());
      if (sent < 0) {
        throw failure("sendto(" + address + ")", state);
      }
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("sendto(" + address + ")", t);
    }
  }

  /** Blocks until a datagram arrives and returns it (tests listen with this). */
  byte[] receive() throws IOException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment state = arena.allocate(STATE);
      MemorySegment buf = arena.allocate(65536);
      long n = (long) RECV.invokeExact(state, fd, buf, 65536L, 0);
      if (n < 0) {
        throw failure("recv", state);
      }
      return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
    } catch (IOException e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("recv", t);
    }
  }

  @Override
  public void close() {
    try {
      int unused = (int) CLOSE.invokeExact(fd);
    } catch (Throwable t) {
      // Closing a descriptor we own cannot meaningfully fail; nothing to report to.
    }
  }

  /** Returns {@code struct sockaddr_un} for {@code address}, sized as the kernel expects. */
  static MemorySegment sockaddr(Arena arena, String address) {
    boolean abstractName = address.startsWith("@");
    byte[] name = (abstractName ? address.substring(1) : address).getBytes(StandardCharsets.UTF_8);
    // Abstract: NUL + name, no terminator, and the length says where it ends. Path: name + NUL.
    int pathBytes = name.length + 1;
    if (pathBytes > SUN_PATH_MAX) {
      throw new IllegalArgumentException("Unix socket address too long: " + address);
    }
    MemorySegment sa = arena.allocate(2 + pathBytes, 2);
    sa.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
    MemorySegment.copy(name, 0, sa, ValueLayout.JAVA_BYTE, abstractName ? 3 : 2, name.length);
    return sa;
  }

  private static IOException failure(String call, MemorySegment state) {
    int errno = (int) ERRNO_HANDLE.get(state, 0L);
    String text;
    try {
      MemorySegment msg = (MemorySegment) STRERROR.invokeExact(errno);
      text = msg.getString(0);
    } catch (Throwable t) {
      text = "errno " + errno;
    }
    return new IOException(call + " failed: " + text + " (errno " + errno + ")");
  }
}
