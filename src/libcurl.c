/* libcurl.c - load libcurl at run time. */
#include <stddef.h>
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
	LIBCURL_SYM("curl_multi_perform", multi_perform, 0),
	LIBCURL_SYM("curl_multi_wait", multi_wait, 0),
	LIBCURL_SYM("curl_multi_poll", multi_poll, 1), /* 7.66 and later */
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

/* WEEKLY_LIBCURL names another library to load (a test, or a system whose
 * libcurl is named differently). The handle is never closed: TLS libraries
 * register exit handlers. */
int libcurl_load(diag_list *d)
{
	static int loaded;
	if (loaded)
		return 0;
	const char *why;
	if (dl_load("libcurl", "WEEKLY_LIBCURL", "libcurl.so.4", libcurl_syms,
		    sizeof libcurl_syms / sizeof *libcurl_syms, &libcurl, &why) < 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "%s", why);
		return -1;
	}
	if (libcurl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0, NULL, "cannot load libcurl: it failed to start");
		return -1;
	}
	loaded = 1;
	return 0;
}
