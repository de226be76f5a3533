from django.dispatch import Signal

# Sent inside the transaction that moved a deal's target close date, so plans that lead to
# it follow. Arguments: deal, old_date, new_date, by, shift_plan (move open steps along), now.
close_date_changed = Signal()
