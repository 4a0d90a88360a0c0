// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --metrics: the listening socket, libmicrohttpd's thread, and the state
 * the main loop publishes for it (why a thread: metrics.h). */
#include <argp.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>
#include <microhttpd.h>

#include "lib/prom.h"
#include "lib/text.h"
#include "lib/util.h"
#include "app.h"
#include "metrics.h"

/* A scraper that stalls holds one of these, at most this long. */
#define MAX_CONNECTIONS 16
#define CONNECTION_TIMEOUT_S 10

/* libmicrohttpd is opened only when --metrics asks for it: linked, it and
 * the TLS stack it brings (gnutls, nettle, p11-kit, ...) cost every run
 * 2.5 MiB of RSS (measured), for a server only a daemon uses. The
 * pointers take their types from microhttpd.h, so a call is checked. */
#define LNW_MHD_SONAME "libmicrohttpd.so.12"
struct lnw_mhd {
	void *lib;
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
};

struct lnw_metrics {
	struct lnw_mhd mhd;
	int listen_fd;               /* ours until MHD takes it */
	struct MHD_Daemon *daemon;
	const struct lnw_app *app;   /* its fixed parts, and its maps */
	char kernel[65];
	pthread_mutex_t lock;        /* guards pub, devs, cap_devs, gen */
	struct lnw_metrics_view pub; /* as the loop last published it */
	size_t cap_devs;
	unsigned int gen;            /* of the device set copied into pub */
	bool published;
};

static int mhd_open(struct lnw_mhd *h, char *err, size_t errlen)
{
	h->lib = dlopen(LNW_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h->lib) {
		snprintf(err, errlen, "--metrics: cannot load %s (Debian: libmicrohttpd12): %s",
			 LNW_MHD_SONAME, dlerror());
		return -ENOENT;
	}
#define LNW_MHD_SYM(f) (*(void **)&h->f = dlsym(h->lib, "MHD_" #f))
	if (LNW_MHD_SYM(start_daemon) && LNW_MHD_SYM(stop_daemon) &&
	    LNW_MHD_SYM(create_response_from_buffer) && LNW_MHD_SYM(add_response_header) &&
	    LNW_MHD_SYM(queue_response) && LNW_MHD_SYM(destroy_response))
		return 0;
#undef LNW_MHD_SYM
	snprintf(err, errlen, "--metrics: %s lacks a function lnwatch uses", LNW_MHD_SONAME);
	dlclose(h->lib);
	h->lib = NULL;
	return -ENOENT;
}

int lnw_metrics_listen(struct lnw_metrics **out, const struct sockaddr *addr,
		       socklen_t len, const char *spec, char *err, size_t errlen)
{
	struct lnw_metrics *m;
	int one = 1, ret;

	*out = NULL;
	m = calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "--metrics: out of memory");
		return -ENOMEM;
	}
	ret = mhd_open(&m->mhd, err, errlen);
	if (ret) {
		free(m);
		return ret;
	}
	m->listen_fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (m->listen_fd < 0)
		goto fail;
	/* a restart may bind at once over the last run's TIME_WAIT */
	if (setsockopt(m->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(m->listen_fd, addr, len) || listen(m->listen_fd, MAX_CONNECTIONS))
		goto fail;
	pthread_mutex_init(&m->lock, NULL);
	*out = m;
	return 0;
fail:
	ret = -errno;
	snprintf(err, errlen, "--metrics %.64s: cannot listen: %s%s", spec, strerror(-ret),
		 ret == -EADDRINUSE ? " (another process serves that port: see ss -ltnp)" :
		 ret == -EADDRNOTAVAIL ? " (no such address on this host)" :
		 ret == -EACCES ? " (a port under 1024 needs CAP_NET_BIND_SERVICE)" : "");
	if (m->listen_fd >= 0)
		close(m->listen_fd);
	dlclose(m->mhd.lib);
	free(m);
	return ret;
}

/* Copy the loop's state into pub; the lock is held. */
static void publish_locked(struct lnw_metrics *m, const struct lnw_app *app)
{
	struct lnw_metrics_view *p = &m->pub;
	int i;

	p->hooks_attached = app->hooks.attached;
	p->flag_changes = app->flags.changes;
	p->attach = lnw_tc_set_kind_name(&app->tc);
	/* entries are only added, their fields fixed: cheap to copy whole */
	p->n_exposures = app->events.exposures.n;
	memcpy(p->exposures, app->events.exposures.v,
	       p->n_exposures * sizeof(p->exposures[0]));
	if (m->published && m->gen == app->tc.gen)
		return;
	if (lnw_grow(&p->devs, &m->cap_devs, (size_t)app->tc.n, sizeof(*p->devs)))
		return; /* the last copy stays; tried again next tick */
	for (i = 0; i < app->tc.n; i++) {
		p->devs[i].ifindex = app->tc.atts[i].ifindex;
		snprintf(p->devs[i].ifname, sizeof(p->devs[i].ifname), "%s",
			 app->tc.atts[i].ifname);
	}
	p->n_devs = (size_t)app->tc.n;
	m->gen = app->tc.gen;
	m->published = true;
}

void lnw_metrics_publish(struct lnw_metrics *m, const struct lnw_app *app)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	publish_locked(m, app);
	pthread_mutex_unlock(&m->lock);
}

/* The published state, copied out for one scrape (free v->devs). */
static int snapshot(struct lnw_metrics *m, struct lnw_metrics_view *v)
{
	int ret = 0;

	pthread_mutex_lock(&m->lock);
	*v = m->pub;
	v->devs = NULL;
	if (m->pub.n_devs) {
		v->devs = malloc(m->pub.n_devs * sizeof(*v->devs));
		if (v->devs)
			memcpy(v->devs, m->pub.devs, m->pub.n_devs * sizeof(*v->devs));
		else
			ret = -ENOMEM;
	}
	pthread_mutex_unlock(&m->lock);
	return ret;
}

static enum MHD_Result reply(const struct lnw_mhd *h, struct MHD_Connection *c,
			     unsigned int status, char *body, size_t len,
			     enum MHD_ResponseMemoryMode mode, const char *type)
{
	struct MHD_Response *r = h->create_response_from_buffer(len, body, mode);
	enum MHD_Result ret;

	if (!r) {
		if (mode == MHD_RESPMEM_MUST_FREE)
			free(body);
		return MHD_NO; /* MHD closes the connection */
	}
	h->add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		h->add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = h->queue_response(c, status, r);
	h->destroy_response(r);
	return ret;
}

static enum MHD_Result text_reply(const struct lnw_mhd *h, struct MHD_Connection *c,
				  unsigned int status, const char *text)
{
	return reply(h, c, status, (char *)text, strlen(text), MHD_RESPMEM_PERSISTENT,
		     "text/plain; charset=utf-8");
}

/* The body of GET /metrics. */
static enum MHD_Result serve_metrics(struct lnw_metrics *m, struct MHD_Connection *c)
{
	struct lnw_metrics_view *v = malloc(sizeof(*v));
	char *body = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int ret = -ENOMEM;

	if (v && !(ret = snapshot(m, v))) {
		f = open_memstream(&body, &len);
		ret = f ? lnw_metrics_render(f, m->app, v) : -errno;
		if (f && fclose(f) && !ret)
			ret = -EIO;
	}
	if (v)
		free(v->devs);
	free(v);
	if (ret) {
		free(body);
		return text_reply(&m->mhd, c, MHD_HTTP_INTERNAL_SERVER_ERROR,
				  "lnwatch: cannot read the counters now\n");
	}
	return reply(&m->mhd, c, MHD_HTTP_OK, body, len, MHD_RESPMEM_MUST_FREE,
		     LNW_PROM_CONTENT_TYPE);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_size,
				  void **con_cls)
{
	struct lnw_metrics *m = cls;

	(void)version;
	(void)upload_data;
	if (!*con_cls) { /* the first call only says a request began */
		*con_cls = c;
		return MHD_YES;
	}
	if (*upload_size) { /* a body nobody asked for: read and dropped */
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return text_reply(&m->mhd, c, MHD_HTTP_METHOD_NOT_ALLOWED,
				  "lnwatch: GET /metrics\n");
	if (strcmp(url, "/metrics"))
		return text_reply(&m->mhd, c, MHD_HTTP_NOT_FOUND,
				  "lnwatch: the metrics are at /metrics\n");
	return serve_metrics(m, c);
}

int lnw_metrics_start(struct lnw_metrics *m, const struct lnw_app *app,
		      char *err, size_t errlen)
{
	sigset_t all, old;
	struct utsname u;

	m->app = app;
	snprintf(m->kernel, sizeof(m->kernel), "%s", uname(&u) ? "unknown" : u.release);
	m->pub.version = strchr(argp_program_version, ' ') ?
			 strchr(argp_program_version, ' ') + 1 : argp_program_version;
	m->pub.kernel = m->kernel;
	m->pub.join = lnw_app_join_path(app);
	m->pub.reason = lnw_app_reason_path(app);
	lnw_metrics_publish(m, app);
	/* signals are the main loop's: its thread, not libmicrohttpd's, wakes */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	m->daemon = m->mhd.start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO,
				     0, NULL, NULL, on_request, m,
				     MHD_OPTION_LISTEN_SOCKET, m->listen_fd,
				     MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MAX_CONNECTIONS,
				     MHD_OPTION_CONNECTION_TIMEOUT,
				     (unsigned int)CONNECTION_TIMEOUT_S,
				     MHD_OPTION_END);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!m->daemon) {
		snprintf(err, errlen, "--metrics: cannot start the HTTP server (libmicrohttpd)");
		return -EIO;
	}
	m->listen_fd = -1; /* MHD closes it when it stops */
	return 0;
}

void lnw_metrics_stop(struct lnw_metrics *m)
{
	if (!m)
		return;
	if (m->daemon)
		m->mhd.stop_daemon(m->daemon);
	if (m->listen_fd >= 0)
		close(m->listen_fd);
	dlclose(m->mhd.lib);
	pthread_mutex_destroy(&m->lock);
	free(m->pub.devs);
	free(m);
}
