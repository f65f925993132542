resource "aws_lambda_function" "this" {
  timeout = 10
}
