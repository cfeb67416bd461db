/* httpd.h - the preview server: the files of one folder over HTTP, with
 * libmicrohttpd, loaded at run time (only `weekly serve` pays for it).
 *
 * Only regular files beneath the folder are served: a path with a ".."
 * or a hidden segment, or one that leaves the folder through a symbolic
 * link, is refused. Every answer says Cache-Control: no-cache and carries
 * an ETag and Last-Modified, so browsers ask again each time and get 304
 * when nothing changed; HEAD gets the headers alone. HTML pages get the
 * live script (/_weekly/live.js) added before </body>; it opens
 * /_weekly/events?page=PATH, a stream of the livehub.
 *
 * Each connection has a thread of its own (a stream waits in it); the
 * server owns its listening socket and folder, and borrows the hub. */
#ifndef WEEKLY_HTTPD_H
#define WEEKLY_HTTPD_H

#include "livehub.h"

struct httpd;

/* Serve folder dir (which need not exist yet) on addr (an IPv4 or IPv6
 * address) and port (0: any free port), streams from hub. NULL after
 * setting *err to a message the caller frees. WEEKLY_LIBMICROHTTPD names
 * another file to load than libmicrohttpd.so.12. */
struct httpd *httpd_start(const char *dir, const char *addr, unsigned port,
			  struct livehub *hub, char **err);
/* Where it listens: "http://127.0.0.1:8000/" (owned by the server). */
const char *httpd_url(const struct httpd *s);
/* Close the streams and connections, then free s. */
void httpd_stop(struct httpd *s);

#endif
