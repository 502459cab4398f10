-- The nodes page and `GET /api/v1/runs?node=` list a node's runs, newest first.
CREATE INDEX runs_by_node ON runs (node, id);
