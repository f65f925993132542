resource "aws_lambda_permission" "this" {
  action        = "lambda:InvokeFunction"
  function_name = "my-lambda-function"
  principal     = "sns.amazonaws.com"
}
