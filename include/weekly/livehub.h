/* livehub.h - the pages open in browsers and what they are told. Each open
 * page holds an event stream (Server-Sent Events) that the hub feeds:
 * "reload" when the page's file was rebuilt, "state" with what is known
 * about the page's issue (a JSON object: its draft flag and diagnostics)
 * and about the whole newsletter (problems of templates and settings), and
 * "bye" when the server stops.
 *
 * The hub owns its clients and the states (copies of the JSON given). It
 * is safe across threads: the server's connection threads read streams
 * while the main thread publishes. */
#ifndef WEEKLY_LIVEHUB_H
#define WEEKLY_LIVEHUB_H

#include <stddef.h>
#include <sys/types.h>

struct livehub;
struct live_client;

struct livehub *livehub_new(void);
/* Free the hub; every client must have left. */
void livehub_free(struct livehub *h);

/* A page opened a stream: page is its file in the output folder
 * ("015.html"), fd the connection's socket (to notice a closed one, -1 if
 * unknown). The client first gets the page's state, or when stale (the
 * page changed since the browser loaded it) a reload. */
struct live_client *livehub_join(struct livehub *h, const char *page, int fd, int stale);
void livehub_leave(struct livehub *h, struct live_client *c);
/* Up to max bytes of c's stream into out, waiting until there is
 * something to say: the count, or -1 when the stream is over (the server
 * stops, or the browser went away). */
ssize_t livehub_read(struct livehub *h, struct live_client *c, char *out, size_t max);

/* Tell the pages showing page (a file in the output folder) to reload. */
void livehub_reload(struct livehub *h, const char *page);
/* The state of the issue whose outputs are named stem ("015"; "" for the
 * newsletter as a whole), as a JSON value on one line, or NULL to forget
 * it. Streams concerned hear of it when it differs from what it was. */
void livehub_set_state(struct livehub *h, const char *stem, const char *json);
/* End every stream (each says "bye" first) and refuse new ones; wait up
 * to ms milliseconds for the streams to be sent and gone. */
void livehub_stop(struct livehub *h, int ms);

#endif
