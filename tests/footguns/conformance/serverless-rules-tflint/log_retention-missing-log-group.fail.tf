resource "aws_lambda_function" "this" {
  function_name = "my-function-name"
}
