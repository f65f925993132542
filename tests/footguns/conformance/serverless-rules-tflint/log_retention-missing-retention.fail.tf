resource "aws_lambda_function" "this" {
  function_name = "my-function-name"
}

resource "aws_cloudwatch_log_group" "this" {
  name = "/aws/lambda/my-function-name"
}
