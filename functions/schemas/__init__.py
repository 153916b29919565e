"""The API's request and response models (pydantic): what the OpenAPI document publishes, what the routes
declare and what the services take."""
