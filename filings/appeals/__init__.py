"""申诉 against a filing rejection (AP1–AP5): the model lives in models.py, the writes in
services.py, the reviewers' admin in admin.py."""
