// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * trigger.c - what wrote a flight dump: the first trigger since the last
 * dump (an exit, an OOM victim, a signal), a SIGUSR1 request, or the end
 * of the recording; as the flight.trigger object of the dump's metadata
 * (docs/format.md) and as the line that announces it and `info` shows.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include "record_int.h"

void kt_trig_fire(struct kt_session *s, unsigned kind,
		  const struct kt_event *ev)
{
	struct kt_trig *t = &s->trig;

	s->trig_fired |= kind;
	if (t->kind)
		return;         /* the first one since the last dump names it */
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	t->code = -1;
	t->ts = ev->ts;
	switch (kind) {
	case KT_TRIG_OOM:
		t->pid = ev->oom.victim_pid;
		t->tid = ev->oom.victim_tid;
		break;
	case KT_TRIG_EXIT:
		t->pid = ev->pid;
		t->tid = ev->tid;
		if (ev->exit.exit_code & 0x7f)
			t->signo = ev->exit.exit_code & 0x7f;
		else
			t->code = (ev->exit.exit_code >> 8) & 0xff;
		break;
	case KT_TRIG_SIGNAL:
		t->pid = ev->sig.target_pid;
		t->tid = ev->sig.target_tid;
		t->sender = ev->pid;
		t->signo = ev->sig.signo;
		break;
	}
}

void kt_trig_request(struct kt_session *s, unsigned n)
{
	struct kt_trig *t = &s->trig;

	memset(t, 0, sizeof(*t));
	t->kind = KT_TRIG_REQUEST;
	t->requests = n;
	t->code = -1;
	t->signo = SIGUSR1;
	t->pid = getpid();
}

void kt_trig_end(struct kt_session *s, int stop_signal)
{
	struct kt_trig *t = &s->trig;

	memset(t, 0, sizeof(*t));
	t->kind = KT_TRIG_END;
	t->code = -1;
	t->ts = s->stop_ns;
	if (s->have_child && s->child_exited) {
		t->reason = "command";
		t->pid = s->child.pid;
		if (WIFSIGNALED(s->child_status))
			t->signo = WTERMSIG(s->child_status);
		else
			t->code = WEXITSTATUS(s->child_status);
	} else if (stop_signal) {
		t->reason = "signal";
		t->signo = stop_signal;
	} else {
		t->reason = "duration";
	}
}

static const char *trig_kind(unsigned kind)
{
	switch (kind) {
	case KT_TRIG_OOM:
		return "oom";
	case KT_TRIG_EXIT:
		return "exit";
	case KT_TRIG_SIGNAL:
		return "signal";
	case KT_TRIG_REQUEST:
		return "request";
	case KT_TRIG_END:
		return "end";
	}
	return "unknown";
}

json_t *kt_trig_json(const struct kt_trig *t)
{
	json_t *o = json_pack("{s:s}", "kind", trig_kind(t->kind));

	if (o && t->reason)
		json_object_set_new(o, "reason", json_string(t->reason));
	if (o && t->pid)
		json_object_set_new(o, "pid", json_integer(t->pid));
	if (o && t->tid && t->tid != t->pid)
		json_object_set_new(o, "tid", json_integer(t->tid));
	if (o && t->code >= 0)
		json_object_set_new(o, "code", json_integer(t->code));
	if (o && t->signo)
		json_object_set_new(o, "signal", json_integer(t->signo));
	if (o && t->sender)
		json_object_set_new(o, "sender", json_integer(t->sender));
	if (o && t->ts)
		json_object_set_new(o, "ts", json_integer(t->ts));
	if (o && t->requests)
		json_object_set_new(o, "requests", json_integer(t->requests));
	return o;
}

static long long jint(const json_t *o, const char *k)
{
	const json_t *v = json_object_get(o, k);

	return json_is_integer(v) ? json_integer_value(v) : -1;
}

void kt_trigger_describe(const json_t *t, char *buf, size_t n)
{
	const json_t *k = json_object_get(t, "kind");
	const char *kind = json_is_string(k) ? json_string_value(k) : "";
	const json_t *r = json_object_get(t, "reason");
	const char *reason = json_is_string(r) ? json_string_value(r) : "";
	long long pid = jint(t, "pid"), code = jint(t, "code");
	long long sig = jint(t, "signal"), from = jint(t, "sender");
	long long req = jint(t, "requests");

	if (!strcmp(kind, "oom"))
		snprintf(buf, n, "trigger oom: victim pid %lld", pid);
	else if (!strcmp(kind, "exit") && sig > 0)
		snprintf(buf, n, "trigger exit!=0: pid %lld killed by signal %lld",
			 pid, sig);
	else if (!strcmp(kind, "exit"))
		snprintf(buf, n, "trigger exit!=0: pid %lld exited with code %lld",
			 pid, code);
	else if (!strcmp(kind, "signal"))
		snprintf(buf, n, "trigger signal=%lld: sent to pid %lld by pid %lld",
			 sig, pid, from);
	else if (!strcmp(kind, "request") && req > 1)
		snprintf(buf, n, "on request: SIGUSR1, %lld requests since the "
			 "last dump", req);
	else if (!strcmp(kind, "request"))
		snprintf(buf, n, "on request: SIGUSR1");
	else if (!strcmp(kind, "end") && !strcmp(reason, "command") && sig > 0)
		snprintf(buf, n, "end of the command: pid %lld killed by signal %lld",
			 pid, sig);
	else if (!strcmp(kind, "end") && !strcmp(reason, "command"))
		snprintf(buf, n, "end of the command: pid %lld exited with code %lld",
			 pid, code);
	else if (!strcmp(kind, "end") && !strcmp(reason, "signal"))
		snprintf(buf, n, "end of the recording: signal %lld", sig);
	else if (!strcmp(kind, "end"))
		snprintf(buf, n, "end of the recording: %s",
			 *reason ? reason : "stopped");
	else
		snprintf(buf, n, "trigger unknown");
}
