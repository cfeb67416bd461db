/* yaml.h - YAML text to a value tree, with bounded depth and alias expansion.
 *
 * The only module that includes libyaml. Plain scalars resolve with YAML's
 * core schema (null, true/false, integers, floats); everything else stays a
 * string. JSON documents load too, since JSON is YAML. */
#ifndef WEEKLY_YAML_H
#define WEEKLY_YAML_H

#include <stddef.h>
#include "value.h"
#include "diag.h"

/* Nesting deeper than this is an error. */
#define YAML_MAX_DEPTH 128
/* Aliases adding more than this many bytes to the tree are an error (alias
 * bombs): each copy counts its strings' bytes and YAML_NODE_BYTES a node. */
#define YAML_MAX_EXPANSION (1u << 20)
#define YAML_NODE_BYTES 32
/* More values (scalars, lists, maps, aliases) than this are an error. */
#define YAML_MAX_NODES 100000u

/* Load the first document of src. file names the source in diagnostics;
 * line_offset is added to every line (for front matter inside a file).
 * Returns a tree the caller frees, or NULL after adding an error to d.
 * An empty document loads as null. */
value *yaml_load(const char *src, size_t len, const char *file,
		 int line_offset, diag_list *d);

#endif
