package main

// The setns system call's number on x86-64; the frozen syscall package does not name it.
const sysSetns = 308
