// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * record.bpf.c - the recorder's BPF programs, one object (skeleton struct
 * record_bpf) so that every program shares the rings, the scope and the
 * counters.  Layers: maps.bpf.h (all maps and settings) -> compat.bpf.h
 * (kernel differences) -> output.bpf.h (scope, rings) -> one header per
 * family.  record/bpf.c loads only the programs of the selected families
 * and probes each attach.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include "format/event.h"
#include "events.h"
#include "maps.bpf.h"
#include "compat.bpf.h"
#include "output.bpf.h"
#include "syscall.bpf.h"
#include "sched.bpf.h"
#include "proc.bpf.h"
#include "tcp.bpf.h"
#include "block.bpf.h"
#include "misc.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";
