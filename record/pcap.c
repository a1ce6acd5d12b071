// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * pcap.c - the net family: packets from libpcap on one interface, read in
 * a thread of their own (a blocking capture must not delay the rings) and
 * queued for the session, which converts their CLOCK_REALTIME stamps onto
 * the capture clock through the latest anchor.
 */
#include <errno.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "record_int.h"

#define KT_PCAP_QUEUE_MAX (64u << 20)  /* bytes queued before dropping */

struct qpkt {
	__u64 real_ns;
	__u32 len;
	__u32 caplen;
	/* caplen bytes follow, padded to 8 */
};

struct kt_pcap {
	pcap_t *p;
	pthread_t thread;
	atomic_bool stop;
	pthread_mutex_t lock;
	unsigned char *q;       /* queued struct qpkt records */
	size_t qlen, qcap;
	__u64 overflow;         /* dropped because the queue was full */
	__u64 kernel_drops;     /* pcap_stats(), read by the capture thread */
	__u32 ifindex;
	__u32 linktype;
};

static void on_packet(unsigned char *user, const struct pcap_pkthdr *h,
		      const unsigned char *data)
{
	struct kt_pcap *k = (struct kt_pcap *)user;
	size_t need = sizeof(struct qpkt) + ((h->caplen + 7) & ~7u);
	struct qpkt *qp;

	pthread_mutex_lock(&k->lock);
	if (k->qlen + need > k->qcap) {
		size_t cap = k->qcap ? k->qcap * 2 : 1 << 16;
		unsigned char *n;

		while (cap < k->qlen + need)
			cap *= 2;
		n = cap <= KT_PCAP_QUEUE_MAX ? realloc(k->q, cap) : NULL;
		if (!n) {
			k->overflow++;
			goto out;
		}
		k->q = n;
		k->qcap = cap;
	}
	qp = (struct qpkt *)(k->q + k->qlen);
	/* PCAP_TSTAMP_PRECISION_NANO: tv_usec holds nanoseconds */
	qp->real_ns = (__u64)h->ts.tv_sec * 1000000000ULL + h->ts.tv_usec;
	qp->len = h->len;
	qp->caplen = h->caplen;
	memcpy(qp + 1, data, h->caplen);
	k->qlen += need;
out:
	pthread_mutex_unlock(&k->lock);
}

/* The thread: pcap handles are not thread-safe, so it alone touches
 * k->p (statistics included) until kt_pcap_stop() joins it. */
static void *capture(void *arg)
{
	struct kt_pcap *k = arg;
	struct pcap_stat st;

	while (!atomic_load(&k->stop)) {
		if (pcap_dispatch(k->p, -1, on_packet, (unsigned char *)k) < 0)
			break;
		if (!pcap_stats(k->p, &st)) {
			pthread_mutex_lock(&k->lock);
			k->kernel_drops = (__u64)st.ps_drop + st.ps_ifdrop;
			pthread_mutex_unlock(&k->lock);
		}
	}
	return NULL;
}

int kt_pcap_start(struct kt_pcap **out, const char *iface, __u32 snaplen,
		  const char *filter, struct kt_err *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct bpf_program prog;
	struct kt_pcap *k;
	int ret;

	k = calloc(1, sizeof(*k));
	if (!k)
		return kt_rec_fail(err, -ENOMEM, KT_ERR_SYSTEM, "out of memory");
	pthread_mutex_init(&k->lock, NULL);
	k->ifindex = if_nametoindex(iface);
	if (!k->ifindex) {
		ret = kt_rec_fail(err, -ENODEV, KT_ERR_INPUT,
				  "--pcap: no network interface '%s'", iface);
		goto err_free;
	}
	k->p = pcap_create(iface, ebuf);
	if (!k->p) {
		ret = kt_rec_fail(err, -ENODEV, KT_ERR_SYSTEM, "--pcap %s: %s", iface, ebuf);
		goto err_free;
	}
	pcap_set_snaplen(k->p, snaplen);
	pcap_set_timeout(k->p, 100);
	pcap_set_immediate_mode(k->p, 1);
	pcap_set_buffer_size(k->p, 8 << 20);
	pcap_set_tstamp_precision(k->p, PCAP_TSTAMP_PRECISION_NANO);
	ret = pcap_activate(k->p);
	if (ret < 0) {
		ret = kt_rec_fail(err, ret == PCAP_ERROR_PERM_DENIED ? -EPERM :
				  -ENODEV, KT_ERR_SYSTEM, "--pcap %s: %s", iface,
				  pcap_geterr(k->p));
		goto err_pcap;
	}
	if (filter) {
		if (pcap_compile(k->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN)) {
			ret = kt_rec_fail(err, -EINVAL, KT_ERR_INPUT,
					  "--pcap-filter '%s': %s", filter,
					  pcap_geterr(k->p));
			goto err_pcap;
		}
		ret = pcap_setfilter(k->p, &prog);
		pcap_freecode(&prog);
		if (ret) {
			ret = kt_rec_fail(err, -EINVAL, KT_ERR_SYSTEM,
					  "--pcap-filter '%s': %s", filter,
					  pcap_geterr(k->p));
			goto err_pcap;
		}
	}
	k->linktype = pcap_datalink(k->p);
	ret = -pthread_create(&k->thread, NULL, capture, k);
	if (ret) {
		kt_rec_fail(err, ret, KT_ERR_SYSTEM, "--pcap: cannot start a thread");
		goto err_pcap;
	}
	*out = k;
	return 0;

err_pcap:
	pcap_close(k->p);
err_free:
	pthread_mutex_destroy(&k->lock);
	free(k);
	return ret;
}

int kt_pcap_drain(struct kt_pcap *k,
		  int (*fn)(void *ctx, const struct kt_packet *pkt), void *ctx)
{
	unsigned char *buf;
	size_t len, off = 0, cap;
	int ret = 0;

	pthread_mutex_lock(&k->lock);
	buf = k->q;
	len = k->qlen;
	cap = k->qcap;
	k->q = NULL;
	k->qlen = k->qcap = 0;
	pthread_mutex_unlock(&k->lock);
	while (off < len && !ret) {
		const struct qpkt *qp = (const struct qpkt *)(buf + off);
		struct kt_packet pkt = {
			.real_ns = qp->real_ns,
			.len = qp->len,
			.caplen = qp->caplen,
			.data = (const unsigned char *)(qp + 1),
		};

		ret = fn(ctx, &pkt);
		off += sizeof(*qp) + ((qp->caplen + 7) & ~7u);
	}
	pthread_mutex_lock(&k->lock);
	if (!k->q) {            /* nothing queued meanwhile: reuse it */
		k->q = buf;
		k->qcap = cap;
		buf = NULL;
	}
	pthread_mutex_unlock(&k->lock);
	free(buf);
	return ret;
}

void kt_pcap_info(struct kt_pcap *k, __u32 *ifindex, __u32 *linktype,
		  __u64 *dropped)
{
	*ifindex = k->ifindex;
	*linktype = k->linktype;
	pthread_mutex_lock(&k->lock);
	*dropped = k->overflow + k->kernel_drops;
	pthread_mutex_unlock(&k->lock);
}

void kt_pcap_stop(struct kt_pcap *k)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct pcap_stat st;

	if (!k || !k->p)
		return;
	atomic_store(&k->stop, true);
	pcap_breakloop(k->p);
	pthread_join(k->thread, NULL);
	/* what the kernel delivered before the stop but the thread had not
	 * read yet (a command that sends and exits at once): read it now,
	 * without waiting.  A break the thread did not consume makes the
	 * first call return PCAP_ERROR_BREAK; then the ring is read. */
	if (!pcap_setnonblock(k->p, 1, ebuf))
		for (int i = 0; i < 1024; i++) {
			int n = pcap_dispatch(k->p, -1, on_packet,
					      (unsigned char *)k);

			if (n == 0 || (n < 0 && n != PCAP_ERROR_BREAK))
				break;
		}
	if (!pcap_stats(k->p, &st))
		k->kernel_drops = (__u64)st.ps_drop + st.ps_ifdrop;
	pcap_close(k->p);
	k->p = NULL;
}

void kt_pcap_free(struct kt_pcap *k)
{
	if (!k)
		return;
	kt_pcap_stop(k);
	pthread_mutex_destroy(&k->lock);
	free(k->q);
	free(k);
}
