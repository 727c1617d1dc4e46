"""A layout parser's tree callbacks, each written out as one function for its rule.

Lark builds a rule's match through a chain of objects: a filter that drops the
anonymous tokens and splices in the children of inlined `_rules`, then the
transformer's method, and a lark Tree for each inlined rule on the way. A layout
parse reduces some 500 rules a report, and that chain is a third of the parse. Here
each rule gets one function that does the same in straight-line code: the children it
keeps, in order, an inlined rule's children as a plain list spliced into its parent's,
and the node the transformer makes.

Only what lark's own builder would do with these options is written out: a parser whose
rules carry anything else (positions, placeholders, ambiguity) keeps lark's callbacks.
"""
from __future__ import annotations

from functools import lru_cache, partial

from lark import Tree
from lark.parse_tree_builder import ChildFilterLALR_NoPlaceholders, ExpandSingleChild


def written_out(parser, node_for):
    """Replace the parser's rule callbacks with written-out ones, where every rule's
    builder is one this module knows; `node_for(name)` says how a rule's node is made from
    its kept children (see _function; None: the rule has no method, lark makes a Tree).
    Returns whether it did."""
    builder = getattr(parser, "_parse_tree_builder", None)
    callbacks = getattr(parser, "_callbacks", None)
    if builder is None or not isinstance(callbacks, dict) or builder.propagate_positions \
            or builder.ambiguous or builder.maybe_placeholders:
        return False
    starts = set(parser.options.start)
    made = {}
    for rule, chain in builder.rule_builders:
        plan = _plan(rule, chain)
        name = rule.alias or rule.options.template_source or rule.origin.name
        if plan is None or rule not in callbacks or (name.startswith("_") and rule.origin.name in starts):
            return False
        include, expand1 = plan
        made[rule] = _function(include, expand1, name, node_for(name))
    callbacks.update(made)
    return True


def _plan(rule, chain):
    """(the (index, spliced) of each child kept, whether a single child stands for the
    rule) from lark's wrapper chain, or None for a wrapper this module does not write out."""
    include, expand1 = None, False
    for wrapper in chain:
        if wrapper is ExpandSingleChild:
            expand1 = True
        elif isinstance(wrapper, partial) and wrapper.func is ChildFilterLALR_NoPlaceholders:
            include = tuple(wrapper.args[0])
        else:
            return None
    if include is None:      # no filter: every child, as it is
        include = tuple((i, False) for i in range(len(rule.expansion)))
    if expand1 and rule.origin.name.startswith("_"):
        return None          # (an inlined rule standing for its one child: lark's own way)
    return include, expand1


def _function(include, expand1, name, node):
    """def rule(c): the kept children k (spliced lists joined in), then the node: `node` is
    None (a lark Tree), a function of k, or (a class, a function of k): class(name, k, f(k))."""
    lines = ["def rule(c):"]
    if include and all(not spliced for _i, spliced in include):
        lines.append(f"    k = [{', '.join(f'c[{i}]' for i, _ in include)}]")
    else:
        lines.append("    k = []")
        for i, spliced in include:
            lines.append(f"    k += c[{i}]" if spliced else f"    k.append(c[{i}])")
    if expand1:
        lines.append("    if len(k) == 1:\n        return k[0]")
    scope = {"Tree": Tree, "name": name, "node": node}
    if name.startswith("_"):
        lines.append("    return k")                  # spliced into the parent's children
    elif node is None:
        lines.append("    return Tree(name, k)")
    elif isinstance(node, tuple):
        scope["node"], scope["also"] = node
        lines.append("    return node(name, k, also(k))")
    else:
        lines.append("    return node(k)")
    exec(_compiled("\n".join(lines)), scope)
    return scope["rule"]


@lru_cache(maxsize=None)
def _compiled(source):
    # Rules of the same shape share one text (their name and node come from the scope):
    # compiled once, it makes a function for each in a few microseconds.
    return compile(source, "<rule callback>", "exec")
