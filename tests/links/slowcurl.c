/* slowcurl.c - a library in libcurl's place (WEEKLY_LIBCURL) whose start
 * takes a while and then leaves a mark in the file WEEKLY_TEST_MARK names:
 * whether weekly waits for the thread that loads libcurl before it exits,
 * when nothing needed libcurl after all. Its other functions are never
 * called: they are only looked up. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int curl_global_init(long flags)
{
	struct timespec ts = { 0, 300 * 1000 * 1000 };
	const char *mark = getenv("WEEKLY_TEST_MARK");
	(void)flags;
	nanosleep(&ts, NULL);
	FILE *f = mark ? fopen(mark, "w") : NULL;
	if (f) {
		fputs("started\n", f);
		fclose(f);
	}
	return 0;
}

#define UNUSED(name) void name(void) { abort(); }
UNUSED(curl_easy_init)
UNUSED(curl_easy_setopt)
UNUSED(curl_easy_getinfo)
UNUSED(curl_easy_cleanup)
UNUSED(curl_easy_strerror)
UNUSED(curl_multi_init)
UNUSED(curl_multi_setopt)
UNUSED(curl_multi_add_handle)
UNUSED(curl_multi_remove_handle)
UNUSED(curl_multi_socket_action)
UNUSED(curl_multi_assign)
UNUSED(curl_multi_info_read)
UNUSED(curl_multi_cleanup)
UNUSED(curl_multi_strerror)
UNUSED(curl_getdate)
UNUSED(curl_slist_append)
UNUSED(curl_slist_free_all)
UNUSED(curl_share_init)
UNUSED(curl_share_setopt)
UNUSED(curl_share_cleanup)
UNUSED(curl_easy_perform)
UNUSED(curl_version)
