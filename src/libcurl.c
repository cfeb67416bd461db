/* libcurl.c - load libcurl at run time, on a thread of its own when the
 * command has work to do meanwhile. */
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include "weekly/dl.h"
#include "weekly/libcurl.h"

#define LIBCURL_SYM(name, field, optional) \
	{ name, offsetof(struct libcurl, field), optional }
static const struct dl_sym libcurl_syms[] = {
	LIBCURL_SYM("curl_global_init", global_init, 0),
	LIBCURL_SYM("curl_easy_init", easy_init, 0),
	LIBCURL_SYM("curl_easy_setopt", easy_setopt, 0),
	LIBCURL_SYM("curl_easy_getinfo", easy_getinfo, 0),
	LIBCURL_SYM("curl_easy_cleanup", easy_cleanup, 0),
	LIBCURL_SYM("curl_easy_strerror", easy_strerror, 0),
	LIBCURL_SYM("curl_multi_init", multi_init, 0),
	LIBCURL_SYM("curl_multi_setopt", multi_setopt, 0),
	LIBCURL_SYM("curl_multi_add_handle", multi_add_handle, 0),
	LIBCURL_SYM("curl_multi_remove_handle", multi_remove_handle, 0),
	LIBCURL_SYM("curl_multi_socket_action", multi_socket_action, 0),
	LIBCURL_SYM("curl_multi_assign", multi_assign, 0),
	LIBCURL_SYM("curl_multi_info_read", multi_info_read, 0),
	LIBCURL_SYM("curl_multi_cleanup", multi_cleanup, 0),
	LIBCURL_SYM("curl_multi_strerror", multi_strerror, 0),
	LIBCURL_SYM("curl_getdate", getdate, 0),
	LIBCURL_SYM("curl_slist_append", slist_append, 0),
	LIBCURL_SYM("curl_slist_free_all", slist_free_all, 0),
	LIBCURL_SYM("curl_share_init", share_init, 0),
	LIBCURL_SYM("curl_share_setopt", share_setopt, 0),
	LIBCURL_SYM("curl_share_cleanup", share_cleanup, 0),
	LIBCURL_SYM("curl_easy_perform", easy_perform, 0),
	LIBCURL_SYM("curl_version", version, 0),
};

struct libcurl libcurl;

static int loaded;          /* 1 once loaded and started */
static int preloading;      /* a thread loads it: join before use */
static pthread_t preloader;
static char preload_why[512]; /* why the thread could not, or "" */

/* WEEKLY_LIBCURL names another library to load (a test, or a system whose
 * libcurl is named differently). The handle is never closed: TLS libraries
 * register exit handlers. 0, or -1 with why. */
static int libcurl_start(const char **why)
{
	if (dl_load("libcurl", "WEEKLY_LIBCURL", "libcurl.so.4", libcurl_syms,
		    sizeof libcurl_syms / sizeof *libcurl_syms, &libcurl, why) < 0)
		return -1;
	if (libcurl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		*why = "cannot load libcurl: it failed to start";
		return -1;
	}
	return 0;
}

static void *libcurl_preload_main(void *unused)
{
	const char *why = "";
	(void)unused;
	libcurl_start(&why);
	snprintf(preload_why, sizeof preload_why, "%s", why ? why : "");
	return NULL;
}

void libcurl_preload_wait(void)
{
	if (!preloading)
		return;
	pthread_join(preloader, NULL);
	preloading = 0;
	loaded = !*preload_why;
}

void libcurl_preload(void)
{
	if (!loaded && !preloading)
		preloading = pthread_create(&preloader, NULL, libcurl_preload_main, NULL) == 0;
}

int libcurl_load(diag_list *d)
{
	const char *why = NULL;
	if (preloading) {
		libcurl_preload_wait();
		why = loaded ? NULL : preload_why;
	} else if (!loaded) {
		loaded = libcurl_start(&why) == 0;
	}
	if (!loaded) /* the next call tries again */
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "%s", why);
	return loaded ? 0 : -1;
}
