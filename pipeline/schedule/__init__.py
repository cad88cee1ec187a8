"""The scheduling stage: APScheduler runs each source's crawl at its cron times and the daily cycle,
every job as a watched child process (timeout, SIGTERM then SIGKILL), one crawl per source at a
time (lock files beside the store), every outcome recorded in the store's job_runs table.

specs.py builds the jobs from plain (slug, cron) data (this package never imports crawler/);
scheduler.py runs them; runner.py is the job itself; child.py watches the child process;
locks.py holds the lock files; listing.py is `schedule --list`.
"""
