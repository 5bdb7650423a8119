// kpiport-group: rename
// kpiport-title: Linux API names -> Redox runtime names
// kpiport-description: References that libclang resolved to a Linux declaration with a `rename` disposition are renamed to the runtime's Redox-facing name (e.g. ioremap -> redox_ioremap); same-named locals, members and driver functions stay.
// Options: --no-includes
//
// What this rule file is for: the table-driven rename.  kpiport writes a JSON
// file and passes it with `-D sites=FILE`:
//   {"renames": {"ioremap": "redox_ioremap", ...},
//    "sites": [{"file": "drv.c", "line": 12, "col": 9, "name": "ioremap"}, ...]}
// line/col are 1-based, col counted in bytes (a tab is one), as libclang
// reports them; file is compared by basename, so give it the sites of the
// file(s) in this run only.  Only identifiers at a listed site change.
// With `-D matched=FILE` it writes
//   {"matched": [site + "to", ...], "missed": [site, ...]}
// so kpiport can report every site Coccinelle did not reach (see README.md
// for which places those are).  Without -D sites the rule changes nothing.
// Rule names and python globals start with rn_ (rules.cocci includes all files).

@ initialize:python @
@@
import json
import os

rn_renames = {}   # Linux name -> new name
rn_sites = {}     # (basename, line, col1) -> the site dict from the JSON
rn_done = {}      # same key -> the site dict + "to", for sites really rewritten
rn_out = None     # path of matched.json, or None

def rn_key(path, line, col1):
    return (os.path.basename(path), int(line), int(col1))

def rn_load(path):
    with open(path) as fh:
        table = json.load(fh)
    rn_renames.update(table.get("renames", {}))
    for site in table.get("sites", []):
        rn_sites[rn_key(site["file"], site["line"], site["col"])] = site

# Coccinelle positions: line 1-based, column 0-based in bytes; libclang's
# columns are 1-based bytes, hence the + 1.
def rn_pos_key(p):
    return rn_key(p[0].file, p[0].line, int(p[0].column) + 1)

# One site per line, so a reviewer can read and diff the file.
def rn_format(matched, missed):
    def block(sites):
        if not sites:
            return "[]"
        lines = ",\n".join("  " + json.dumps(s, sort_keys=True) for s in sites)
        return "[\n" + lines + "\n ]"
    return '{"matched": ' + block(matched) + ',\n "missed": ' + block(missed) + '}\n'

def rn_is_site(name, p):
    site = rn_sites.get(rn_pos_key(p))
    return site is not None and site["name"] == name and name in rn_renames

@ initialize:python @
sites << virtual.sites;
@@
rn_load(sites)

@ initialize:python @
matched << virtual.matched;
@@
rn_out = matched

// Every identifier used as an expression (calls, &f, .x = f, initializers,
// sizeof, macro arguments, #define bodies that parse) at a listed site.
@ rn_ref @
identifier f;
position p : script:python(f) { rn_is_site(f, p) };
@@
f@p

@script:python rn_new@
f << rn_ref.f;
g;
@@
coccinelle.g = cocci.make_ident(rn_renames[f])

@ rn_do @
identifier rn_ref.f;
position rn_ref.p;
identifier rn_new.g;
position q;
@@
- f@p@q
+ g

@script:python@
f << rn_ref.f;
q << rn_do.q;
@@
rn_site = dict(rn_sites[rn_pos_key(q)])
rn_site["to"] = rn_renames[f]
rn_done[rn_pos_key(q)] = rn_site

@ finalize:python @
@@
if rn_out:
    rn_matched = [rn_done[k] for k in sorted(rn_done)]
    rn_missed = [rn_sites[k] for k in sorted(rn_sites) if k not in rn_done]
    with open(rn_out, "w") as fh:
        fh.write(rn_format(rn_matched, rn_missed))
