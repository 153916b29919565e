"""The same trivial quote endpoint on two other stacks, for the cold start benchmark to compare against.

Each module is a whole Lambda handler, `lambda_handler(event, context)`, serving POST /api/v1/quotes:
a JSON body of product_id, plan_id and application_date, validated, answered with the plan's premium
from a table of one product (quote_model.py, shared by both). Neither imports the product's own code (functions/).
"""
