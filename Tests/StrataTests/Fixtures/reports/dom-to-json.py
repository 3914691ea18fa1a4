#!/usr/bin/env python3
"""Turns an HTML file (a DOM that headless Chromium serialised with --dump-dom) into a JSON
tree of {"tag", "attrs", "children"} elements and {"text"} nodes, using python's own HTML
parser, so the Swift report tests can assert on structure without regular expressions."""
import json
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = {"tag": "#document", "attrs": {}, "children": []}
        self.stack = [self.root]

    def _element(self, tag, attrs):
        node = {"tag": tag, "attrs": {}, "children": []}
        for name, value in attrs:
            # A repeated attribute is kept under a numbered name, so tests still see it.
            key = name
            n = 2
            while key in node["attrs"]:
                key = f"{name}#{n}"
                n += 1
            node["attrs"][key] = "" if value is None else value
        self.stack[-1]["children"].append(node)
        return node

    def handle_starttag(self, tag, attrs):
        node = self._element(tag, attrs)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i]["tag"] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        self.stack[-1]["children"].append({"text": data})


with open(sys.argv[1], encoding="utf-8") as f:
    builder = TreeBuilder()
    builder.feed(f.read())
    builder.close()
json.dump(builder.root, sys.stdout, ensure_ascii=True)
