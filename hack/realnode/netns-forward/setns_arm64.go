package main

// The setns system call's number on arm64; the frozen syscall package does not name it.
const sysSetns = 268
