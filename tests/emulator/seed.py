# Copyright: hwcloud.modelarts contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Seed data of the emulator: account, projects, credentials and visualization jobs.

Tests import these constants, so changing a value here changes what tests expect.
"""

import uuid

DOMAIN_NAME = "demo-domain"
DOMAIN_ID = "d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0"

PROJECTS = {
    "eu-de": "5e3fa1c8b1d94f2c9a7e6d0b4c2a1f00",
    "cn-north-4": "0b2f6c0f9a9e4d7f8c6b5a4e3d2c1b0a",
    "eu-nl": "7d4c3b2a19f84e6d5c4b3a2918f7e6d5",
}
PROJECT_NAMES = {project_id: name for name, project_id in PROJECTS.items()}
EU_DE = PROJECTS["eu-de"]
CN_NORTH_4 = PROJECTS["cn-north-4"]
EU_NL = PROJECTS["eu-nl"]

USER_NAME = "demo-user"
USER_PASSWORD = "Demo-Passw0rd!"
USER_ID = "a1b2c3d4e5f60718293a4b5c6d7e8f90"

PERMANENT_AK = "EMUAK0000000000000001"
PERMANENT_SK = "emu-secret-key-0000000000000000000000000001"
TEMP_AK = "EMUTMPAK000000000001"
TEMP_SK = "emu-temp-secret-00000000000000000000000001"
SECURITY_TOKEN = "emu-security-token-000000000000000000000000000001"

# access key -> (secret key, security token the request must carry, or None)
CREDENTIALS = {
    PERMANENT_AK: (PERMANENT_SK, None),
    TEMP_AK: (TEMP_SK, SECURITY_TOKEN),
}

# Job status table of the API reference (modelarts_03_0074).
STATUS_NAMES = {
    0: "JOBSTAT_UNKNOWN", 1: "JOBSTAT_INIT", 2: "JOBSTAT_IMAGE_CREATING",
    3: "JOBSTAT_IMAGE_FAILED", 4: "JOBSTAT_SUBMIT_TRYING", 5: "JOBSTAT_SUBMIT_FAILED",
    6: "JOBSTAT_DELETE_FAILED", 7: "JOBSTAT_WAITING", 8: "JOBSTAT_RUNNING",
    9: "JOBSTAT_KILLING", 10: "JOBSTAT_COMPLETED", 11: "JOBSTAT_FAILED",
    12: "JOBSTAT_KILLED", 13: "JOBSTAT_CANCELED", 14: "JOBSTAT_LOST",
    15: "JOBSTAT_SCALING", 16: "JOBSTAT_SUBMIT_MODEL_FAILED",
    17: "JOBSTAT_DEPLOY_SERVICE_FAILED", 18: "JOBSTAT_CHECK_INIT",
    19: "JOBSTAT_CHECK_RUNNING", 20: "JOBSTAT_CHECK_RUNNING_COMPLETED",
    21: "JOBSTAT_CHECK_FAILED",
}

JOB_QUOTA = 1000
RUNNING_QUOTA = 100
BULK_FIRST_JOB_ID = 100001

_RESOURCE_NAMESPACE = uuid.UUID("6f1c2d3e-4b5a-4c6d-8e7f-90a1b2c3d4e5")
_SCHEDULE_1H = [{"type": "stop", "timeUnit": "HOURS", "duration": 1}]
_SCHEDULE_4H = [{"type": "stop", "timeUnit": "HOURS", "duration": 4}]


def make_job(project_id, job_id, name, status, create_time, duration, **extra):
    """Return one job dict shaped like the list/details API answer.

    ``extra`` adds or overrides fields (e.g. ``job_type``, ``schedule``).
    """
    job = {
        "job_id": job_id,
        "job_name": name,
        "status": status,
        "create_time": create_time,
        "duration": duration,
        "remaining_duration": None,
        "job_desc": "emulated visualization job %s" % name,
        "train_url": "/emu-bucket/%s/train/" % name,
        "service_url": "https://127.0.0.1/modelarts/tensorboard/%s/%s/" % (project_id, job_id),
        "resource_id": str(uuid.uuid5(_RESOURCE_NAMESPACE, "%s/%s" % (project_id, job_id))),
    }
    job.update(extra)
    return job


def _eu_de_jobs():
    pid = EU_DE
    return [
        make_job(pid, 101, "tb-resnet50", 8, 1731400000000, 7200000, job_type="tensorboard",
                 schedule=_SCHEDULE_4H, remaining_duration=7200000),
        make_job(pid, 102, "tb-bert-base", 10, 1731000000000, 3600000, job_type="tensorboard",
                 schedule=_SCHEDULE_1H),
        make_job(pid, 103, "mi-lenet", 7, 1731900000000, 0, job_type="mindinsight", job_desc=""),
        make_job(pid, 104, "tb-failed-run", 11, 1731100000000, 120000),
        make_job(pid, 105, "tb-canceled", 13, 1731700000000, 60000),
        make_job(pid, 106, "tb-init", 1, 1732000000000, 0),
        make_job(pid, 107, "tb-killed", 12, 1731200000000, 900000),
        make_job(pid, 108, "mi-image-failed", 3, 1731800000000, 0, job_type="mindinsight"),
        make_job(pid, 109, "tb-unknown", 0, 1731300000000, 0),
        make_job(pid, 110, "tb-resnet50-v2", 8, 1731600000000, 1800000, future_field="x",
                 schedule=_SCHEDULE_1H, remaining_duration=1800000.5),
        make_job(pid, 111, "tb-future-code", 42, 1731500000000, 30000,
                 job_desc="status code outside the documented table"),
        make_job(pid, "112", "tb-string-fields", "8", "1730900000000", "600000",
                 job_desc="job_id, status, create_time and duration are JSON strings"),
        make_job(pid, 113, "tb-duplicate", 8, 1732100000000, 240000),
        make_job(pid, 114, "tb-duplicate", 10, 1730800000000, 480000),
    ]


def _cn_north_4_jobs():
    pid = CN_NORTH_4
    return [
        make_job(pid, 201, "cn-tb-a", 8, 1731250000000, 3600000),
        make_job(pid, 202, "cn-tb-b", 10, 1731150000000, 7200000),
        make_job(pid, 203, "cn-tb-c", 11, 1731350000000, 60000),
    ]


def bulk_jobs(count, project_id=EU_NL):
    """Return ``count`` generated jobs (ids from 100001, statuses cycling 0..21)."""
    statuses = sorted(STATUS_NAMES)
    base_time = 1700000000000
    jobs = []
    for index in range(count):
        job_id = BULK_FIRST_JOB_ID + index
        name = "bulk-%06d" % (index + 1)
        jobs.append({
            "job_id": job_id,
            "job_name": name,
            "status": statuses[index % len(statuses)],
            "create_time": base_time + index * 60000,
            "duration": (index % 97) * 1000,
            "remaining_duration": None,
            "job_desc": "bulk job %d" % (index + 1),
            "train_url": "/emu-bucket/bulk/%s/" % name,
            "service_url": "https://127.0.0.1/modelarts/tensorboard/%s/%d/" % (project_id, job_id),
            "resource_id": str(uuid.UUID(int=job_id)),
        })
    return jobs


def seed_jobs(bulk_count=0):
    """Return ``{project_id: [job, ...]}`` for every project, with ``bulk_count`` jobs in eu-nl."""
    return {
        EU_DE: _eu_de_jobs(),
        CN_NORTH_4: _cn_north_4_jobs(),
        EU_NL: bulk_jobs(bulk_count) if bulk_count else [],
    }
