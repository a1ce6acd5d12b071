// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * flight.c - the dumps of a flight recorder (--flight): at a tick, one
 * for the first trigger fired since the last dump and one for the SIGUSR1
 * requests that came since; at the end, those still due and the end's.
 * Every request is served by a dump that names it (requests within the
 * same tick share one, which counts them), or said not to be.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "record_int.h"

/* dump_meta - the end metadata of a dump: flight.trigger says what wrote
 * it (the writer adds the window to the same object). */
static json_t *dump_meta(struct kt_session *s)
{
	json_t *m = kt_report_end_meta(s), *t = kt_trig_json(&s->trig);

	if (!m || !t || json_object_set_new(m, "flight",
					    json_pack("{s:o}", "trigger", t))) {
		json_decref(m);
		return NULL;
	}
	return m;
}

/* flight_dump - the writer's window to FILE, FILE.1, ..., named by
 * s->trig; the trigger state is cleared for the next one. */
static int flight_dump(struct kt_session *s)
{
	char path[4096], why[256];
	json_t *m;
	int ret;

	if (s->dumps)
		snprintf(path, sizeof(path), "%s.%u", s->o->out, s->dumps);
	else
		snprintf(path, sizeof(path), "%s", s->o->out);
	ret = kt_writer_flush(s->w);
	m = dump_meta(s);
	if (!ret)
		ret = m ? kt_writer_dump(s->w, path, m) : -ENOMEM;
	if (!ret) {
		s->dumps++;
		kt_trigger_describe(json_object_get(json_object_get(m, "flight"),
						    "trigger"), why, sizeof(why));
		if (!s->o->quiet)
			fprintf(s->o->msg, "%sktrail record: flight recorder written to %s (%s)\n",
				s->progress_shown ? "\n" : "", path, why);
		s->progress_shown = false;
	}
	json_decref(m);
	s->trig_fired = 0;
	memset(&s->trig, 0, sizeof(s->trig));
	return ret;
}

/* requests_dump - one dump for the SIGUSR1 requests pending (it counts
 * them); those of a dump that failed stay pending (said at the end). */
static int requests_dump(struct kt_session *s)
{
	int ret;

	if (!s->req_pending)
		return 0;
	kt_trig_request(s, s->req_pending);
	ret = flight_dump(s);
	if (!ret) {
		s->req_served += s->req_pending;
		s->req_pending = 0;
	}
	return ret;
}

int kt_flight_tick(struct kt_session *s)
{
	int ret = 0;

	if (!s->o->flight_ns) {
		kt_flight_unserved(s, 0);
		return 0;
	}
	if (s->trig_fired)
		ret = flight_dump(s);
	return ret ?: requests_dump(s);
}

int kt_flight_finish(struct kt_session *s, int stop_signal)
{
	int ret = 0;

	/* a trigger or a request after the last tick gets its own dump
	 * first (the end's would not name it) */
	if (s->trig_fired)
		ret = flight_dump(s);
	ret = requests_dump(s) ?: ret;
	kt_trig_end(s, stop_signal);
	return flight_dump(s) ?: ret;
}

void kt_flight_unserved(struct kt_session *s, unsigned late)
{
	const char *flight = "only a flight recorder (--flight) writes a "
			     "capture on request";

	if (!s->req_pending && !late)
		return;
	if (s->progress_shown)
		fputc('\n', s->o->msg);
	s->progress_shown = false;
	if (s->req_pending)
		fprintf(s->o->msg, "ktrail record: SIGUSR1 not served (%u "
			"request%s): %s\n", s->req_pending,
			s->req_pending == 1 ? "" : "s", s->o->flight_ns ?
			"the flight dump failed" : flight);
	if (late)
		fprintf(s->o->msg, "ktrail record: SIGUSR1 not served (%u "
			"request%s): %s\n", late, late == 1 ? "" : "s",
			!s->o->flight_ns ? flight : s->dumps ?
			"sent after the last flight dump" :
			"no flight dump was written");
	s->req_pending = 0;
}
