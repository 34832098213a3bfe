#define _GNU_SOURCE
#include "CShim.h"
#include <pthread.h>
#include <sys/socket.h>

int swetcd_accept_nonblocking(int listener) {
    return accept4(listener, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

void swetcd_set_thread_name(const char *name) {
    pthread_setname_np(pthread_self(), name);
}
