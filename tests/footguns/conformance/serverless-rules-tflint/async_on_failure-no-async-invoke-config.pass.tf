resource "aws_lambda_permission" "this" {
  action        = "lambda:InvokeFunction"
  function_name = "my-lambda-function"
  principal     = "apigateway.amazonaws.com"
}

resource "aws_lambda_function_event_invoke_config" "example" {
  function_name = "my-lambda-function"
}
