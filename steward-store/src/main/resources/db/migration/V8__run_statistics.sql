-- Run statistics (GET /api/v1/stats/runs) read the runs that ended in a time window, of all scripts (runs_ended_at)
-- or of one script: this index seeks the script and walks its end times, instead of every run of the script.
CREATE INDEX runs_script_ended ON runs (script, ended_at);
