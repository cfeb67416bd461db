/* libcurl.h - libcurl, loaded at run time by the commands that need it
 * (check --links, add, send), so that every other command starts without it.
 *
 * libcurl_load fills the table `libcurl` with the library's functions;
 * callers use them through it and never link the library. */
#ifndef WEEKLY_LIBCURL_H
#define WEEKLY_LIBCURL_H

#define CURL_DISABLE_DEPRECATION /* CURLOPT_PROTOCOLS, for libcurl before 7.85 */
#include <curl/curl.h>
#include "diag.h"

struct libcurl {
	CURLcode (*global_init)(long);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
	CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
	void (*easy_cleanup)(CURL *);
	const char *(*easy_strerror)(CURLcode);
	CURLM *(*multi_init)(void);
	CURLMcode (*multi_setopt)(CURLM *, CURLMoption, ...);
	CURLMcode (*multi_add_handle)(CURLM *, CURL *);
	CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
	CURLMcode (*multi_socket_action)(CURLM *, curl_socket_t, int, int *);
	CURLMcode (*multi_assign)(CURLM *, curl_socket_t, void *);
	CURLMsg *(*multi_info_read)(CURLM *, int *);
	CURLMcode (*multi_cleanup)(CURLM *);
	const char *(*multi_strerror)(CURLMcode);
	time_t (*getdate)(const char *, const time_t *);
	struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
	void (*slist_free_all)(struct curl_slist *);
	CURLSH *(*share_init)(void);
	CURLSHcode (*share_setopt)(CURLSH *, CURLSHoption, ...);
	CURLSHcode (*share_cleanup)(CURLSH *);
	CURLcode (*easy_perform)(CURL *);
	const char *(*version)(void);
};

extern struct libcurl libcurl;

/* Load libcurl.so.4 (or the file WEEKLY_LIBCURL names) once and start it:
 * 0, or -1 after adding "cannot load libcurl: ..." to d. */
int libcurl_load(diag_list *d);

/* Start loading libcurl on a thread, so that the loading (10-20 ms of
 * relocations) overlaps the command's own work until libcurl_load, which
 * waits for it and reports what it came to. No fork may come between the
 * two: a child would inherit the loader's locks but not the thread, so a
 * command that forks waits first (libcurl_preload_wait). */
void libcurl_preload(void);
/* Wait for that thread: before a fork, and, when nothing needed libcurl
 * after all, before the command exits (an exit while libcurl starts
 * crashes it: its TLS library's exit handlers free what it is starting). */
void libcurl_preload_wait(void);

#endif
