import CShim
import Glibc

/// Starts a detached-by-join OS thread running `body`. Event loops and the apply thread are
/// long-lived and each owns its state; they are plain pthreads rather than Swift tasks because
/// they block in epoll_wait / condition waits, which must never happen on the cooperative pool.
final class PosixThread: Sendable {
    private final class Box {
        let name: String
        let body: @Sendable () -> Void
        init(_ name: String, _ body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }
    }

    private let handle: pthread_t

    /// Spawns the thread; `name` (at most 15 bytes, the kernel's limit) shows in `top -H`.
    init(name: String, _ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(name, body)).toOpaque()
        var thread = pthread_t()
        let rc = pthread_create(&thread, nil, { argument in
            let box = Unmanaged<Box>.fromOpaque(argument!).takeRetainedValue()
            swetcd_set_thread_name(box.name)
            box.body()
            return nil
        }, box)
        precondition(rc == 0, "pthread_create failed: \(rc)")
        handle = thread
    }

    /// Waits for the thread to return.
    func join() {
        pthread_join(handle, nil)
    }

    /// Lets the thread end on its own, never joined (short-lived work such as sending one
    /// snapshot, which nobody needs to wait for).
    func detach() {
        pthread_detach(handle)
    }
}
